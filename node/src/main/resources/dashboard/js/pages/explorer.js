// Explorer: blocks, transactions with receipts, accounts, search results.
import { get, recentBlocks } from '../api.js';
import { h, card, table, links, hashText, fmtNum, fmtTime, badge, kv, targetOf, schemaText } from '../ui.js';

function txRows(blocks) {
  const rows = [];
  for (const b of blocks) {
    for (const e of b.transactions) {
      rows.push([links.tx(e.tx.hash, 16), links.block(b.height), `${e.tx.module}/${e.tx.messageType}`,
        links.account(e.tx.sender, 12), e.receipt ? badge(e.receipt.status, e.receipt.status) : '—']);
    }
  }
  return rows;
}

export async function page() {
  const status = await get('/v1/status');
  const blocks = await recentBlocks(status.height, 20);
  return h('div', {},
    h('h1', {}, 'Explorer'),
    h('p', { class: 'muted' }, 'Search above for a block height, a block hash, a transaction hash, an address, or a job, model or dataset id.'),
    h('div', { class: 'cols' },
      card('Latest blocks',
        table('Latest blocks', [{ label: 'Height' }, { label: 'Hash' }, { label: 'Txs', num: true }, { label: 'Time' }],
          blocks.map((b) => [links.block(b.height), hashText(b.hash, 14), fmtNum(b.txCount), fmtTime(b.timestampMillis)]))),
      card('Latest transactions',
        table('Latest transactions', [{ label: 'Hash' }, { label: 'Block' }, { label: 'Message' }, { label: 'Sender' }, { label: 'Result' }],
          txRows(blocks).slice(0, 25), 'No transactions in the last 20 blocks.'))));
}

function receiptView(receipt) {
  if (!receipt) return h('p', { class: 'muted' }, 'No receipt.');
  return h('div', {},
    kv([
      ['Status', badge(receipt.status, receipt.status)],
      receipt.error ? ['Error', receipt.error] : null,
    ]),
    h('h3', {}, 'Events'),
    table('Events', [{ label: 'Module' }, { label: 'Type' }, { label: 'Attributes' }],
      receipt.events.map((e) => [e.module, e.type,
        h('dl', { class: 'kv' }, Object.entries(e.attributes).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)]))]),
      'No events.'));
}

export async function blockPage(id) {
  const [b, status] = await Promise.all([
    /^\d+$/.test(id) ? get(`/v1/blocks/${id}`) : get(`/v1/blocks/hash/${id}`),
    get('/v1/status'),
  ]);
  return h('div', {},
    h('h1', {}, `Block ${b.height}`),
    h('div', { class: 'row' },
      b.height > 1 ? h('a', { href: `#/block/${b.height - 1}` }, '← previous block') : null,
      b.height < status.height ? h('a', { href: `#/block/${b.height + 1}` }, 'next block →') : h('span', { class: 'muted' }, 'latest block')),
    card('Header', kv([
      ['Hash', h('span', { class: 'mono' }, b.hash)],
      ['Parent', b.height > 1 ? h('a', { href: `#/block/${b.height - 1}`, class: 'mono' }, b.parentHash) : h('span', { class: 'mono' }, b.parentHash)],
      ['Time', fmtTime(b.timestampMillis)],
      ['Proposer', links.account(b.proposer, 40)],
      ['Transactions', fmtNum(b.txCount)],
      ['Tx root', h('span', { class: 'mono' }, b.txRoot)],
      ['Receipts root', h('span', { class: 'mono' }, b.receiptsRoot)],
      ['State root', h('span', { class: 'mono' }, b.stateRoot)],
    ])),
    card('Transactions',
      table('Transactions', [{ label: '#', num: true }, { label: 'Hash' }, { label: 'Message' }, { label: 'Sender' }, { label: 'Nonce', num: true }, { label: 'Result' }],
        b.transactions.map((e, i) => [String(i), links.tx(e.tx.hash, 16), `${e.tx.module}/${e.tx.messageType}`, links.account(e.tx.sender, 12), fmtNum(e.tx.nonce),
          e.receipt ? badge(e.receipt.status, e.receipt.error ? e.receipt.error.split(':')[0] : e.receipt.status) : '—']),
        'This block carries no transactions (state-root votes only).')));
}

export async function txPage(hash) {
  const t = await get(`/v1/transactions/${hash}`);
  const message = t.tx.message
    ? kv(Object.entries(t.tx.message).map(([k, v]) => [k, k === 'to' ? links.account(v, 40) : String(v)]))
    : h('p', { class: 'muted' }, `Payload (base64): `, h('span', { class: 'mono' }, t.tx.payload));
  return h('div', {},
    h('h1', {}, 'Transaction'),
    card('Summary', kv([
      ['Hash', h('span', { class: 'mono', id: 'tx-hash' }, t.hash)],
      ['Block', h('span', {}, links.block(t.height), ` · index ${t.index}`)],
      ['Message', `${t.tx.module}/${t.tx.messageType}`],
      ['Sender', links.account(t.tx.sender, 40)],
      ['Nonce', fmtNum(t.tx.nonce)],
      ['Chain', t.tx.chainId],
      t.tx.memo ? ['Memo', t.tx.memo] : null,
    ])),
    h('div', { class: 'cols' }, card('Message', message), card('Receipt', receiptView(t.receipt))));
}

export async function accountPage(address) {
  const [a, stake] = await Promise.all([get(`/v1/accounts/${address}`), get(`/v1/staking/${address}`)]);
  return h('div', {},
    h('h1', {}, 'Account'),
    h('div', { class: 'cols' },
      card('Balance', kv([
        ['Address', h('span', { class: 'mono' }, a.address)],
        ['Balance', fmtNum(a.balance)],
        ['Next nonce', fmtNum(a.nonce)],
        ['As of height', links.block(a.height)],
      ])),
      card('Stake', kv([
        ['Bonded', fmtNum(stake.bonded)],
        ['Locked by jobs', fmtNum(stake.locked)],
        ['Unbonding', stake.unbonding.length ? stake.unbonding.map((u) => `${fmtNum(u.amount)} at ${u.releaseHeight}`).join(', ') : 'none'],
      ]))),
    card('Slashes',
      table('Slashes', [{ label: 'Height' }, { label: 'Amount', num: true }, { label: 'Requested', num: true }, { label: 'Reason' }],
        stake.slashes.map((s) => [links.block(s.height), fmtNum(s.amount), fmtNum(s.requested), s.reason]), 'Never slashed.')),
    card('Datasets',
      table('Datasets', [{ label: 'Id' }, { label: 'Samples', num: true }, { label: 'Schema' }, { label: 'Licence' }],
        stake.datasets.map((d) => [links.dataset(d.datasetId), fmtNum(d.sampleCount), schemaText(d), d.licence]), 'No datasets registered.')));
}

export async function searchPage(q) {
  const result = await get(`/v1/search?q=${encodeURIComponent(q)}`);
  return h('div', {},
    h('h1', {}, 'Search results'),
    h('p', {}, 'Query: ', h('span', { class: 'mono' }, result.query)),
    result.matches.length
      ? h('ul', {}, result.matches.map((m) => h('li', {}, `${m.kind} `, h('a', { href: targetOf(m), class: 'mono' }, m.id))))
      : h('p', { class: 'muted' }, 'Nothing on this chain matches. Heights are numbers; hashes 64 hex digits; addresses 40.'));
}
