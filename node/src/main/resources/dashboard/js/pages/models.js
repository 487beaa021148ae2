// Models: the registry, lineage from datasets through rounds to the model, attestation status, and
// this node's verdict from replaying the lineage (GET /v1/models/{id}/verification).
import { get } from '../api.js';
import { h, stat, card, table, links, hashText, fmtNum, badge, kv, metricsOf, ppmPercent, schemaText } from '../ui.js';

function accuracyText(metrics) {
  const m = metricsOf(metrics);
  return m.accuracy_ppm !== undefined ? ppmPercent(m.accuracy_ppm) : '—';
}

/** This node's verdict on a model; a failed request reads as unavailable, saying why. */
function verification(modelId) {
  return get(`/v1/models/${encodeURIComponent(modelId)}/verification`)
    .catch((e) => ({ modelId, status: 'unavailable', checkedAtHeight: null, rounds: [], problems: [e.message] }));
}

const POLL_MS = 2000;

/** While a verdict is pending, the page asks again after a while (besides the event stream). */
function pollIfPending(verdicts) {
  return verdicts.some((v) => v.status === 'pending') ? { 'data-poll': String(POLL_MS) } : {};
}

export async function page() {
  const { models } = await get('/v1/models?limit=200');
  const verdicts = await Promise.all(models.map((m) => verification(m.modelId)));
  return h('div', pollIfPending(verdicts),
    h('h1', {}, 'Models'),
    card('Registry',
      table('Registered models', [{ label: 'Model' }, { label: 'Version', num: true }, { label: 'Job' }, { label: 'Rounds', num: true },
        { label: 'Strategy' }, { label: 'Accuracy', num: true }, { label: 'Licence' }, { label: 'Registered at' }, { label: 'Verification' }],
      models.map((m, i) => [links.model(m.modelId, 16), fmtNum(m.version), links.job(m.jobId, 12), fmtNum(m.rounds.length), m.strategy,
        accuracyText(m.metrics), m.licence, links.block(m.registeredHeight), badge(verdicts[i].status)]),
      'No model registered yet: a job registers its model when its last round finalizes.')),
    h('p', { class: 'muted' }, 'Verification is this node replaying each model\'s lineage: every blob re-hashed, every round\'s aggregation re-run.'));
}

const VERDICT_TEXT = {
  pending: () => 'This node is replaying the lineage: re-hashing every blob and re-running every round\'s aggregation…',
  valid: (v) => `Replayed at height ${fmtNum(v.checkedAtHeight)}: every blob hashes to its name, and re-running all ${v.rounds.length} round(s) gives the committed aggregates, accepted and rejected updates and scores.`,
  invalid: (v) => `Replayed${v.checkedAtHeight ? ` at height ${fmtNum(v.checkedAtHeight)}` : ''}: the lineage does not hold. ${v.problems.length} check(s) failed, the first failing check first:`,
  unavailable: () => 'This node cannot replay the lineage now:',
};

function verdictBlock(v) {
  const text = (VERDICT_TEXT[v.status] || VERDICT_TEXT.unavailable)(v);
  return h('div', { class: `verdict ${v.status}`, 'data-verdict': v.status },
    h('p', {}, 'Replay on this node: ', badge(v.status), ' ', text),
    v.problems.length ? h('ul', { class: 'problems', 'aria-label': 'Why the model is not valid' },
      v.problems.map((p) => h('li', { class: 'reason' }, p))) : null);
}

function lineageGraph(model, datasets) {
  const node = (href, kind, name, extra) => h('a', { class: 'node', href },
    h('div', { class: 'k' }, kind), h('div', { class: 'n' }, name), extra ? h('div', { class: 'k' }, extra) : null);
  const jobHex = model.jobId;
  return h('div', { class: 'lineage', role: 'group', 'aria-label': 'Lineage: datasets, then rounds, then the model' },
    h('div', { class: 'col', 'aria-label': 'Datasets' },
      datasets.length
        ? datasets.map((d) => node(`#/dataset/${encodeURIComponent(d.datasetId)}`, 'dataset', d.datasetId, `${fmtNum(d.sampleCount)} samples`))
        : h('p', { class: 'muted' }, 'No dataset recorded.')),
    h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    h('div', { class: 'col', 'aria-label': 'Rounds' },
      model.rounds.map((r) => node(`#/job/${jobHex}/round/${r.round}`, 'round', `Round ${r.round}`,
        `${r.acceptedUpdateHashes.length}/${r.updateHashes.length} updates accepted · ${accuracyText(r.metrics)}`))),
    h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    h('div', { class: 'col', 'aria-label': 'Model' },
      node(`#/model/${encodeURIComponent(model.modelId)}`, `model v${model.version}`, `${model.modelId.slice(0, 16)}…`, `weights ${model.weightsHash.slice(0, 12)}…`),
      model.parentModelId ? node(`#/model/${encodeURIComponent(model.parentModelId)}`, 'fine-tuned from', `${model.parentModelId.slice(0, 16)}…`) : null));
}

export async function modelPage(id) {
  const [{ model, ancestors, datasets, attestations, verify }, v] = await Promise.all([
    get(`/v1/models/${encodeURIComponent(id)}/lineage`), verification(id)]);
  datasets.sort((a, b) => a.datasetId.localeCompare(b.datasetId));
  const allFinal = attestations.length > 0 && attestations.every((a) => a.status === 'ROUND_FINAL');
  const replayed = {};
  for (const r of v.rounds) replayed[r.round] = r;
  return h('div', pollIfPending([v]),
    h('h1', {}, `Model v${model.version}`),
    h('p', { class: 'mono' }, model.modelId),
    h('div', { class: 'cols' },
      card('Model', kv([
        ['Weights', h('span', { class: 'mono' }, model.weightsHash)],
        ['Job', links.job(model.jobId, 24)],
        ['Sponsor', links.account(model.sponsor, 24)],
        ['Strategy', model.strategy],
        ['Licence', model.licence],
        ['Accuracy', accuracyText(model.metrics)],
        ['Registered at', links.block(model.registeredHeight)],
        ['In use', h('a', { href: '#/market' }, 'offers, channels and royalties on the Market page')],
      ])),
      card('Verification',
        verdictBlock(v),
        h('p', {}, 'On chain: ', allFinal
          ? badge('OK', `all ${attestations.length} rounds final with their attestation quorum`)
          : badge('FAILED', 'not every round is final')),
        h('p', { class: 'muted' }, 'Anyone can run the same replay from their own machine: ', h('code', {}, verify.command), '.'))),
    card('Lineage', lineageGraph(model, datasets)),
    card('Rounds: attestations and replay',
      table('Rounds: attestations and replay', [{ label: 'Round' }, { label: 'Aggregate' }, { label: 'Status' }, { label: 'Attesters', num: true },
        { label: 'Quorum', num: true }, { label: 'Failed commits', num: true }, { label: 'Final at' }, { label: 'Replay' }],
      attestations.map((a) => [links.round(model.jobId, a.round), hashText(a.aggregateHash, 14), badge(a.status), fmtNum(a.attesters.length),
        fmtNum(a.quorum), fmtNum(a.failedCommits), links.block(a.finalizedHeight),
        replayed[a.round] ? badge(replayed[a.round].status) : badge(v.status === 'pending' ? 'pending' : 'unavailable', v.status === 'pending' ? 'pending' : 'not replayed')]))),
    card('Datasets',
      table('Datasets', [{ label: 'Dataset' }, { label: 'Owner' }, { label: 'Samples', num: true }, { label: 'Licence' }, { label: 'Consent' }],
        datasets.map((d) => [links.dataset(d.datasetId), links.account(d.owner, 12), fmtNum(d.sampleCount), d.licence, d.consent.join(', ')]))),
    ancestors.length ? card('Ancestors',
      table('Ancestors', [{ label: 'Model' }, { label: 'Version', num: true }, { label: 'Job' }],
        ancestors.map((m) => [links.model(m.modelId, 16), fmtNum(m.version), links.job(m.jobId, 12)]))) : null);
}

/** "ε 3.5, δ 0.00001": a privacy amount as the REST record gives it. */
export function privacyText(a) {
  return `ε ${a.epsilon}, δ ${a.delta}`;
}

/** A dataset's privacy budget: spent, held for running jobs, remaining, and each DP job's part. */
function budgetCard(p) {
  if (!p) {
    return card('Privacy budget', h('p', { class: 'muted' },
      'No privacy budget: this dataset trains only jobs without differential privacy.'));
  }
  return card('Privacy budget',
    h('div', { class: 'grid', 'aria-label': 'Privacy budget' },
      stat('Budget', privacyText(p.budget)),
      stat('Spent', privacyText(p.spent)),
      stat('Reserved', privacyText(p.reserved)),
      stat('Remaining', privacyText(p.remaining))),
    table('Privacy by job', [{ label: 'Job' }, { label: 'Updates', num: true }, { label: 'Spent' }, { label: 'Held' }, { label: 'State' }],
      p.jobs.map((j) => [links.job(j.jobId, 16), fmtNum(j.updates), privacyText(j.spent), privacyText(j.held),
        j.released ? 'ended' : 'running']), 'No DP job has used this budget yet.'),
    h('p', { class: 'muted' }, 'Differential privacy bounds what any update or model reveals about one record. Across jobs, spending adds up; a job whose (ε, δ) the remainder cannot cover cannot be joined.'));
}

export async function datasetPage(id) {
  const d = await get(`/v1/datasets/${encodeURIComponent(id)}`);
  return h('div', {},
    h('h1', {}, `Dataset ${d.datasetId}`),
    card('Dataset', kv([
      ['Owner', links.account(d.owner, 40)],
      ['Commitment', h('span', { class: 'mono' }, d.commitmentHash)],
      ['Samples', fmtNum(d.sampleCount)],
      ['Schema', schemaText(d) || '—'],
      ['Licence', d.licence || '—'],
      ['Consent', d.consent.join(', ')],
      ['Registered at', links.block(d.registeredHeight)],
    ])),
    budgetCard(d.privacy),
    h('p', { class: 'muted' }, 'The data never leaves its owner: the chain holds only this commitment and the uses the owner consents to.'));
}
