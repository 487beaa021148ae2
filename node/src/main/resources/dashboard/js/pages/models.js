// Models: the registry, lineage from datasets through rounds to the model, attestation status.
import { get } from '../api.js';
import { h, card, table, links, hashText, fmtNum, badge, kv, metricsOf, ppmPercent } from '../ui.js';

function accuracyText(metrics) {
  const m = metricsOf(metrics);
  return m.accuracy_ppm !== undefined ? ppmPercent(m.accuracy_ppm) : '—';
}

export async function page() {
  const { models } = await get('/v1/models?limit=200');
  return h('div', {},
    h('h1', {}, 'Models'),
    card('Registry',
      table('Registered models', [{ label: 'Model' }, { label: 'Version', num: true }, { label: 'Job' }, { label: 'Rounds', num: true },
        { label: 'Strategy' }, { label: 'Accuracy', num: true }, { label: 'Licence' }, { label: 'Registered at' }],
      models.map((m) => [links.model(m.modelId, 16), fmtNum(m.version), links.job(m.jobId, 12), fmtNum(m.rounds.length), m.strategy,
        accuracyText(m.metrics), m.licence, links.block(m.registeredHeight)]),
      'No model registered yet: a job registers its model when its last round finalizes.')));
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
  const { model, ancestors, datasets, attestations, verify } = await get(`/v1/models/${encodeURIComponent(id)}/lineage`);
  datasets.sort((a, b) => a.datasetId.localeCompare(b.datasetId));
  const allFinal = attestations.length > 0 && attestations.every((a) => a.status === 'ROUND_FINAL');
  return h('div', {},
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
      ])),
      card('Verification',
        h('p', {}, 'On chain: ', allFinal
          ? badge('OK', `all ${attestations.length} rounds final with their attestation quorum`)
          : badge('FAILED', 'not every round is final')),
        h('p', {}, 'The node shows what the chain recorded; it does not replay the training. Verify with ',
          h('code', {}, verify.command), '.'),
        h('p', { class: 'muted' }, `Replay verdict: ${verify.verdict}.`))),
    card('Lineage', lineageGraph(model, datasets)),
    card('Attestations by round',
      table('Attestations by round', [{ label: 'Round' }, { label: 'Aggregate' }, { label: 'Status' }, { label: 'Attesters', num: true },
        { label: 'Quorum', num: true }, { label: 'Failed commits', num: true }, { label: 'Final at' }],
      attestations.map((a) => [links.round(model.jobId, a.round), hashText(a.aggregateHash, 14), badge(a.status), fmtNum(a.attesters.length),
        fmtNum(a.quorum), fmtNum(a.failedCommits), links.block(a.finalizedHeight)]))),
    card('Datasets',
      table('Datasets', [{ label: 'Dataset' }, { label: 'Owner' }, { label: 'Samples', num: true }, { label: 'Licence' }, { label: 'Consent' }],
        datasets.map((d) => [links.dataset(d.datasetId), links.account(d.owner, 12), fmtNum(d.sampleCount), d.licence, d.consent.join(', ')]))),
    ancestors.length ? card('Ancestors',
      table('Ancestors', [{ label: 'Model' }, { label: 'Version', num: true }, { label: 'Job' }],
        ancestors.map((m) => [links.model(m.modelId, 16), fmtNum(m.version), links.job(m.jobId, 12)]))) : null);
}

export async function datasetPage(id) {
  const d = await get(`/v1/datasets/${encodeURIComponent(id)}`);
  return h('div', {},
    h('h1', {}, `Dataset ${d.datasetId}`),
    card('Dataset', kv([
      ['Owner', links.account(d.owner, 40)],
      ['Commitment', h('span', { class: 'mono' }, d.commitmentHash)],
      ['Samples', fmtNum(d.sampleCount)],
      ['Schema', d.schema || '—'],
      ['Licence', d.licence || '—'],
      ['Consent', d.consent.join(', ')],
      ['Registered at', links.block(d.registeredHeight)],
    ])),
    h('p', { class: 'muted' }, 'The data never leaves its owner: the chain holds only this commitment and the uses the owner consents to.'));
}
