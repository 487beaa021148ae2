// Jobs: status, round timeline, accuracy and loss by round, central and federated metrics,
// participants, scores, rewards, slashes, differential privacy.
import { get } from '../api.js';
import { h, stat, card, table, links, hashText, fmtNum, badge, kv, metricsOf, ppmPercent } from '../ui.js';
import { lineChart } from '../chart.js';
import { privacyText } from './models.js';

export async function page() {
  const { count, jobs } = await get('/v1/jobs?limit=200');
  return h('div', {},
    h('h1', {}, 'Jobs'),
    h('p', { class: 'muted' }, `${fmtNum(count)} training job${count === 1 ? '' : 's'} on this chain.`),
    card('Training jobs',
      table('Training jobs', [{ label: 'Job' }, { label: 'Status' }, { label: 'Round' }, { label: 'Strategy' }, { label: 'Participants', num: true },
        { label: 'Reward', num: true }, { label: 'Escrow left', num: true }, { label: 'Model' }],
      jobs.map((j) => [links.job(j.jobId, 16), badge(j.status), `${j.currentRound} / ${j.spec.rounds}`, j.spec.strategy,
        fmtNum(j.participants.length), fmtNum(j.spec.reward), fmtNum(j.escrowRemaining), j.modelId ? links.model(j.modelId, 12) : '—']),
      'No training job yet. Create one with `fedledger job create`.')));
}

/** One chart point per finished round that reported the metric. */
export function metricPoints(rounds, name, scale, unit) {
  return rounds
    .filter((r) => r.status === 'ROUND_FINAL' && r.commit)
    .map((r) => ({ round: r.round, m: metricsOf(r.commit.metrics) }))
    .filter((r) => r.m[name] !== undefined)
    .map((r) => {
      const y = r.m[name] / scale;
      return { x: r.round, y, label: `Round ${r.round}: ${y.toFixed(4)}${unit}` };
    });
}

/** Metrics as people read them: accuracy as a percentage, other rates and errors as numbers. */
export function metricsText(list) {
  if (!list || !list.length) return '—';
  return list.map((m) => {
    const v = Number(m.value);
    if (m.name === 'accuracy_ppm') return `accuracy ${(v / 10000).toFixed(2)} %`;
    if (m.name.endsWith('_ppm')) return `${m.name.slice(0, -4)} ${(v / 1e6).toFixed(4)}`;
    if (m.name.endsWith('_micro')) return `${m.name.slice(0, -6)} ${(v / 1e6).toFixed(4)}`;
    return `${m.name} ${v}`;
  }).join(', ');
}

/** Per round, the aggregator's central metrics and the owners' federated (weighted) ones. */
function metricsTable(job, rounds) {
  const federated = Number(job.spec.testFractionPpm || 0) > 0;
  return table('Metrics by round', [{ label: 'Round' }, { label: 'Central (sponsor\'s test set)' },
    { label: federated ? `Federated (owners' ${(Number(job.spec.testFractionPpm) / 10000).toFixed(1)} % local splits)` : 'Federated' },
    { label: 'Owners reported', num: true }],
  rounds.map((r) => [links.round(job.jobId, r.round), metricsText(r.commit ? r.commit.metrics : []),
    federated ? metricsText(r.federatedMetrics) : 'not asked for (no local test split)',
    federated ? `${(r.evaluations || []).length} / ${r.selected.length}` : '—']),
  'No round yet.');
}

function timeline(job, rounds) {
  const items = rounds.map((r) => {
    const cls = r.status === 'ROUND_FINAL' ? 'final' : r.status === 'ROUND_COMMITTED' ? 'committed' : 'open';
    const detail = r.status === 'ROUND_FINAL'
      ? `final at ${r.finalizedHeight}`
      : r.status === 'ROUND_COMMITTED' ? `awaiting ${r.quorum} attestation(s)` : `updates until ${r.updateDeadline}`;
    return h('li', { class: cls },
      h('div', { class: 't' }, links.round(job.jobId, r.round), ' ', badge(r.status)),
      h('div', { class: 'd' }, `opened at ${r.openedHeight} · ${r.submissions.length}/${r.selected.length} updates`),
      h('div', { class: 'd' }, detail));
  });
  for (let r = rounds.length + 1; r <= job.spec.rounds; r++) {
    items.push(h('li', {}, h('div', { class: 't' }, `Round ${r}`), h('div', { class: 'd' }, 'not opened yet')));
  }
  return h('ol', { class: 'timeline', 'aria-label': 'Round timeline' }, items);
}

function scoresByParticipant(rounds) {
  const sums = {};
  let finals = 0;
  for (const r of rounds) {
    if (r.status !== 'ROUND_FINAL' || !r.commit) continue;
    finals++;
    for (const s of r.commit.scores) sums[s.participant] = (sums[s.participant] || 0) + Number(s.ppm);
  }
  return { sums, finals };
}

/** A DP job's parameters and, per dataset, what it has spent of that dataset's budget. */
// What every owner trains with, as the job fixes it (CreateJob): a 0 or absent setting is each
// owner's own. The schedule scales the rate over the rounds (learning's LearningRateSchedule).
function trainingText(spec) {
  const micros = Number(spec.learningRateMicros || 0);
  const schedule = spec.learningRateSchedule || 'constant';
  const rate = micros > 0 ? `learning rate ${micros / 1e6}` : "each owner's own learning rate";
  const epochs = Number(spec.localEpochs || 0) > 0 ? `${spec.localEpochs} epoch(s)` : "owners' own epochs";
  const batch = Number(spec.batchSize || 0) > 0 ? `batch ${spec.batchSize}` : "owners' own batch";
  return `${rate}, schedule ${schedule}; ${epochs}, ${batch}`;
}

function privacyCard(privacy) {
  if (!privacy) return null;
  const p = privacy.params;
  return card('Differential privacy',
    kv([
      ['Guarantee', `(${privacyText(privacy.perDataset)})-DP for every record of every dataset, after all rounds`],
      ['DP-SGD', `clip ${Number(p.clipNormMicros) / 1e6}, noise multiplier ${Number(p.noiseMultiplierMicros) / 1e6}, `
        + `sampling rate ${Number(p.sampleRatePpm) / 1e6}, ${fmtNum(p.localSteps)} steps a round (${fmtNum(privacy.totalSteps)} in all)`],
    ]),
    table('Privacy by dataset', [{ label: 'Dataset' }, { label: 'Updates', num: true }, { label: 'Spent on this job' }, { label: 'Held' },
      { label: 'Dataset remaining' }],
    privacy.datasets.map((d) => [links.dataset(d.datasetId), fmtNum(d.updates || 0), d.spent ? privacyText(d.spent) : '—',
      d.held ? privacyText(d.held) : '—', d.datasetRemaining ? privacyText(d.datasetRemaining) : '—']), 'No dataset has joined yet.'));
}

export async function jobPage(id) {
  const { job, rounds, participants, privacy } = await get(`/v1/jobs/${id}`);
  const accuracy = metricPoints(rounds, 'accuracy_ppm', 10000, ' %');
  const loss = metricPoints(rounds, 'loss_micro', 1e6, '');
  const finished = rounds.filter((r) => r.status === 'ROUND_FINAL').length;
  const { sums, finals } = scoresByParticipant(rounds);
  const slashes = rounds.flatMap((r) => r.slashes.map((s) => ({ round: r.round, ...s })));
  const failed = rounds.flatMap((r) => r.failedCommits.map((f) => ({ round: r.round, ...f })));
  return h('div', {},
    h('h1', {}, 'Job ', hashText(job.jobId, 16)),
    h('div', { class: 'grid' },
      stat('Status', badge(job.status)),
      stat('Rounds finished', `${finished} / ${job.spec.rounds}`),
      stat('Participants', fmtNum(job.participants.length)),
      stat('Reward', fmtNum(job.spec.reward)),
      stat('Paid', fmtNum(job.escrowPaid)),
      stat('Escrow left', fmtNum(job.escrowRemaining)),
      stat('Privacy', privacy ? `(${privacyText(privacy.perDataset)})-DP` : 'not DP')),
    card('Round timeline', timeline(job, rounds)),
    privacyCard(privacy),
    card('Metrics by round', metricsTable(job, rounds)),
    h('div', { class: 'cols' },
      card('Accuracy by round', lineChart({
        id: 'chart-accuracy', series: 'accuracy', title: 'Accuracy by finished round',
        description: `${accuracy.length} point(s), one per finished round: ${accuracy.map((p) => p.label).join('; ')}`,
        points: accuracy, format: (v) => `${v.toFixed(v % 1 ? 1 : 0)} %`, xLabel: 'round',
      })),
      card('Loss by round', lineChart({
        id: 'chart-loss', series: 'loss', title: 'Loss by finished round',
        description: `${loss.length} point(s), one per finished round: ${loss.map((p) => p.label).join('; ')}`,
        points: loss, format: (v) => v.toFixed(Math.abs(v) < 1 ? 3 : 2), xLabel: 'round',
      }))),
    card('Participants',
      table('Participants', [{ label: 'Participant' }, { label: 'Dataset' }, { label: 'Stake', num: true }, { label: 'Accepted', num: true },
        { label: 'Rejected', num: true }, { label: 'Mean score', num: true }, { label: 'Reward', num: true }, { label: 'Slashed', num: true }],
      participants.map((p) => [links.account(p.participant, 12), links.dataset(p.datasetId), fmtNum(p.stake), fmtNum(p.accepted),
        fmtNum(p.rejected), finals ? ppmPercent((sums[p.participant] || 0) / finals) : '—', fmtNum(p.reward), fmtNum(p.slashed)]))),
    card('Rounds',
      table('Rounds', [{ label: 'Round' }, { label: 'Status' }, { label: 'Updates', num: true }, { label: 'Accepted', num: true },
        { label: 'Rejected', num: true }, { label: 'Aggregator' }, { label: 'Attestations' }, { label: 'Paid', num: true }],
      rounds.map((r) => [links.round(job.jobId, r.round), badge(r.status), fmtNum(r.submissions.length),
        r.commit ? fmtNum(r.commit.accepted.length) : '—', r.commit ? fmtNum(r.commit.rejected.length) : '—',
        links.account(r.aggregator, 12), r.commit ? `${r.attestations.length} (quorum ${r.quorum})` : '—',
        fmtNum(r.payouts.reduce((s, p) => s + Number(p.amount), 0))]))),
    h('div', { class: 'cols' },
      card('Slashes',
        table('Slashes', [{ label: 'Round' }, { label: 'Account' }, { label: 'Amount', num: true }, { label: 'Reason' }],
          slashes.map((s) => [links.round(job.jobId, s.round), links.account(s.account, 12), fmtNum(s.amount), h('span', { class: 'reason' }, s.reason)]), 'Nobody was slashed.')),
      card('Specification', kv([
        ['Sponsor', links.account(job.sponsor, 16)],
        ['Strategy', job.spec.strategy],
        ['Per round', `${job.spec.participantsPerRound} participants, at least ${job.minUpdates} update(s)`],
        ['Local training', trainingText(job.spec)],
        ['Required use', job.spec.requiredUse],
        ['Minimum stake', fmtNum(job.spec.minStake)],
        ['Windows', `${job.spec.roundBlocks} blocks for updates, ${job.spec.commitBlocks} to commit`],
        ['Created at', links.block(job.createdHeight)],
        ['Initial weights', hashText(job.spec.initialWeightsHash, 16)],
        ['Standardization', !job.spec.standardize ? 'none'
          : job.statisticsHash ? h('span', {}, 'attested statistics ', hashText(job.statisticsHash, 16))
            : 'owners are reporting their statistics (round 0)'],
        ['Model', job.modelId ? links.model(job.modelId, 16) : 'registered when the last round finalizes'],
      ]))),
    failed.length ? card('Failed commits',
      table('Failed commits', [{ label: 'Round' }, { label: 'Aggregator' }, { label: 'Hash' }, { label: 'Reason' }],
        failed.map((f) => [links.round(job.jobId, f.round), links.account(f.aggregator, 12), hashText(f.aggregateHash), h('span', { class: 'reason' }, f.reason)]))) : null);
}

export async function roundPage(id, r) {
  const round = await get(`/v1/jobs/${id}/rounds/${r}`);
  const rejected = {};
  const accepted = new Set(round.commit ? round.commit.accepted : []);
  for (const x of round.commit ? round.commit.rejected : []) rejected[x.updateHash] = x.reason;
  const scores = {};
  for (const s of round.commit ? round.commit.scores : []) scores[s.participant] = s.ppm;
  const verdict = (u) => (accepted.has(u) ? badge('accepted', 'accepted') : rejected[u] !== undefined ? badge('rejected', 'rejected') : badge('ROUND_OPEN', 'pending'));
  const metrics = round.commit ? metricsOf(round.commit.metrics) : {};
  return h('div', {},
    h('h1', {}, `Round ${round.round}`),
    h('p', {}, 'Job ', links.job(id, 16), ' ', badge(round.status)),
    h('div', { class: 'cols' },
      card('Round', kv([
        ['Opened at', links.block(round.openedHeight)],
        ['Updates until', `height ${fmtNum(round.updateDeadline)}`],
        ['Aggregator', links.account(round.aggregator, 40)],
        ['Selected', h('span', {}, round.selected.map((a) => h('div', {}, links.account(a, 40))))],
        round.finalizedHeight ? ['Finalized at', links.block(round.finalizedHeight)] : null,
        round.reopenCount ? ['Reopened', `${round.reopenCount} time(s)`] : null,
      ])),
      card('Commit', round.commit ? kv([
        ['Aggregate', h('span', { class: 'mono' }, round.commit.aggregateHash)],
        ['Committed at', links.block(round.committedHeight)],
        ['Accuracy', metrics.accuracy_ppm !== undefined ? ppmPercent(metrics.accuracy_ppm) : '—'],
        ['Loss', metrics.loss_micro !== undefined ? (metrics.loss_micro / 1e6).toFixed(4) : '—'],
        ['Blob', round.commit.blobLocation || '—'],
        ['Quorum', `${round.attestations.length} attestation(s) of ${round.quorum} needed`],
      ]) : h('p', { class: 'muted' }, 'Not committed yet.'))),
    card('Updates',
      table('Updates', [{ label: 'Participant' }, { label: 'Dataset' }, { label: 'Update hash' }, { label: 'Samples', num: true },
        { label: 'Train loss', num: true }, { label: 'Verdict' }, { label: 'Score', num: true }, { label: 'Reason' }],
      round.submissions.map((s) => [links.account(s.participant, 12), links.dataset(s.datasetId), hashText(s.updateHash, 14), fmtNum(s.sampleCount),
        (Number(s.trainLoss) / 1e6).toFixed(4), verdict(s.updateHash), scores[s.participant] !== undefined ? ppmPercent(scores[s.participant]) : '—',
        h('span', { class: 'reason' }, rejected[s.updateHash] || '')]))),
    h('div', { class: 'cols' },
      card('Attestations',
        table('Attestations', [{ label: 'Validator' }, { label: 'Hash' }, { label: 'Matches' }, { label: 'Height' }],
          round.attestations.map((a) => [links.account(a.validator, 12), hashText(a.aggregateHash, 14),
            round.commit && a.aggregateHash === round.commit.aggregateHash ? badge('OK', 'matches') : badge('FAILED', 'differs'), links.block(a.height)]),
          round.quorum === 0 ? 'No attestation needed: a single validator finalizes its own commit.' : 'No attestation yet.')),
      card('Rewards and slashes',
        h('h3', {}, 'Rewards paid'),
        table('Payouts', [{ label: 'Participant' }, { label: 'Reward', num: true }],
          round.payouts.map((p) => [links.account(p.participant, 12), fmtNum(p.amount)]), 'No payout.'),
        h('h3', {}, 'Slashes'),
        table('Slashes', [{ label: 'Account' }, { label: 'Amount', num: true }, { label: 'Reason' }],
          round.slashes.map((s) => [links.account(s.account, 12), fmtNum(s.amount), h('span', { class: 'reason' }, s.reason)]), 'Nobody slashed.'))));
}
