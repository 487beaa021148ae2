// Market: the models offered for pay-per-call serving, the payment channels that pay for the calls,
// what the providers claimed, and the royalties each contributor of each model received. Read from
// GET /v1/market/offers, /v1/market/channels?provider=, /v1/models/{id}/claims and /royalties.
import { get } from '../api.js';
import { h, stat, card, table, links, hashText, fmtNum, badge, ppmPercent } from '../ui.js';

const LIMIT = 500;

/** Every channel to the offer's providers that pays for this model. */
async function channelsOf(offer) {
  const lists = await Promise.all(offer.providers.map((p) =>
    get(`/v1/market/channels?provider=${p}&limit=${LIMIT}`)));
  return lists.flatMap((l) => l.channels).filter((c) => c.modelId === offer.modelId);
}

/** Calls paid and claimed on a channel: its claimed total at the price it opened with. */
function callsClaimed(c) {
  return Number(c.pricePerCall) > 0 ? Math.floor(Number(c.totalClaimed) / Number(c.pricePerCall)) : 0;
}

function channelState(c, height) {
  if (c.status !== 'CHANNEL_OPEN') return badge('closed', 'closed');
  return Number(c.expiryHeight) < height ? badge('unavailable', 'expired') : badge('OK', 'open');
}

function split(o) {
  return `${ppmPercent(o.providerFeePpm)} / ${ppmPercent(o.ownerSharePpm)} / ${ppmPercent(o.contributorsSharePpm)}`;
}

export async function page() {
  const [{ offers }, status] = await Promise.all([get(`/v1/market/offers?limit=${LIMIT}`), get('/v1/status')]);
  const height = Number(status.height);
  const per = await Promise.all(offers.map(async (o) => {
    const id = encodeURIComponent(o.modelId);
    const [channels, claims, royalties] = await Promise.all([
      channelsOf(o), get(`/v1/models/${id}/claims?limit=${LIMIT}`), get(`/v1/models/${id}/royalties`)]);
    return { offer: o, channels, claims, royalties };
  }));
  const channels = per.flatMap((m) => m.channels);
  const calls = channels.reduce((n, c) => n + callsClaimed(c), 0);
  const revenue = per.reduce((n, m) => n + Number(m.claims.revenue), 0);
  const open = channels.filter((c) => c.status === 'CHANNEL_OPEN').length;
  return h('div', {},
    h('h1', {}, 'Market'),
    h('div', { class: 'grid', 'aria-label': 'Market totals' },
      stat('Offers', fmtNum(offers.length)),
      stat('Open channels', fmtNum(open)),
      stat('Calls served', fmtNum(calls)),
      stat('Revenue', fmtNum(revenue))),
    card('Offers',
      table('Offers', [{ label: 'Model' }, { label: 'Owner' }, { label: 'Price per call', num: true }, { label: 'Provider / owner / contributors' },
        { label: 'Providers' }, { label: 'Licence' }, { label: 'Calls served', num: true }, { label: 'Revenue', num: true }, { label: 'State' }],
      per.map(({ offer: o, channels: cs, claims }) => [links.model(o.modelId, 16), links.account(o.owner, 12), fmtNum(o.pricePerCall), split(o),
        h('span', {}, o.providers.map((p) => links.account(p, 10))), o.licence,
        fmtNum(cs.reduce((n, c) => n + callsClaimed(c), 0)), fmtNum(claims.revenue),
        o.withdrawn ? badge('closed', 'withdrawn') : badge('OK', 'offered')]),
      'No model is offered yet: its owner offers it with `fedledger model offer`.')),
    card('Channels',
      table('Channels', [{ label: 'Channel' }, { label: 'Model' }, { label: 'Client' }, { label: 'Provider' }, { label: 'Deposit', num: true },
        { label: 'Claimed', num: true }, { label: 'Refunded', num: true }, { label: 'Calls served', num: true }, { label: 'Expiry' }, { label: 'State' }],
      channels.map((c) => [hashText(c.channelId, 12), links.model(c.modelId, 12), links.account(c.client, 10), links.account(c.provider, 10),
        fmtNum(c.deposit), fmtNum(c.totalClaimed), fmtNum(c.totalRefunded), fmtNum(callsClaimed(c)), `height ${c.expiryHeight}`,
        channelState(c, height)]),
      'No channel yet: a client opens one with `fedledger channel open`.'),
      h('p', { class: 'muted' }, 'Calls served counts the calls whose vouchers the provider has claimed on chain; calls answered since its last claim are paid when it claims next.')),
    per.map(({ offer: o, royalties: r }) => card(`Royalties of model ${o.modelId.slice(0, 16)}…`,
      table(`Royalties of model ${o.modelId}`, [{ label: 'Contributor' }, { label: 'Share of the contributors\' part', num: true }, { label: 'Received', num: true }],
        r.royalties.map((x) => [links.account(x.contributor, 16),
          Number(r.totalWeight) > 0 ? ppmPercent(Math.round(1e6 * Number(x.weight) / Number(r.totalWeight))) : '—', fmtNum(x.amount)]),
        'No contributor has a score in this model\'s lineage: the contributors\' part goes to its owner.'),
      h('p', { class: 'muted' }, `Revenue ${fmtNum(r.revenue)} claimed so far. Each claim pays ${ppmPercent(o.contributorsSharePpm)} to the contributors, in proportion to the scores of their accepted updates over every round of the lineage; a contributor whose updates were all rejected has no score and receives nothing.`))));
}
