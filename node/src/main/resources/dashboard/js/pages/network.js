// Network: validators, leader, height, throughput, recent blocks, faults.
import { get, recentBlocks } from '../api.js';
import { h, stat, card, table, links, hashText, fmtNum, fmtTime } from '../ui.js';
import { barChart } from '../chart.js';

/** Transactions per second over blocks (newest first): txs after the oldest over the time span. */
export function tps(blocks) {
  if (blocks.length < 2) return null;
  const newest = blocks[0], oldest = blocks[blocks.length - 1];
  const seconds = (newest.timestampMillis - oldest.timestampMillis) / 1000;
  if (seconds <= 0) return null;
  const txs = blocks.slice(0, -1).reduce((sum, b) => sum + b.txCount, 0);
  return txs / seconds;
}

export async function page() {
  const status = await get('/v1/status');
  const blocks = await recentBlocks(status.height, 20);
  const rate = tps(blocks);
  return h('div', {},
    h('h1', {}, 'Network'),
    h('div', { class: 'grid' },
      stat('Height', fmtNum(status.height)),
      stat('Leader', status.leaderId || 'none elected'),
      stat('Validators', fmtNum(status.validators.length)),
      stat('Transactions / s', rate === null ? '—' : rate.toFixed(1)),
      stat('Mempool', fmtNum(status.mempoolSize)),
      stat('Faults reported', fmtNum(status.faults.length))),
    h('div', { class: 'cols' },
      card('Validators',
        table('Validators', [{ label: 'Address' }, { label: 'Power', num: true }, { label: 'Raft' }, { label: 'API' }],
          status.validators.map((v) => [links.account(v.address, 12), fmtNum(v.power), v.raftAddress, v.apiAddress])),
        h('p', { class: 'muted' }, `This node: ${status.nodeId}${status.leader ? ' (leader)' : ''} · peers: ${status.peers.join(', ')}`)),
      card('Chain head',
        h('dl', { class: 'kv' },
          h('dt', {}, 'Chain'), h('dd', {}, status.chainId),
          h('dt', {}, 'Last block'), h('dd', {}, links.block(status.height), ' ', hashText(status.lastBlockHash, 16)),
          h('dt', {}, 'State root'), h('dd', {}, hashText(status.stateRoot, 24)),
          h('dt', {}, 'Block time'), h('dd', {}, fmtTime(status.lastBlockTimeMillis))),
        barChart({
          id: 'txs-per-block',
          title: 'Transactions per block, last 20 blocks',
          values: blocks.slice().reverse().map((b) => ({ x: b.height, y: b.txCount, label: `Block ${b.height}: ${b.txCount} tx` })),
        }),
        h('p', { class: 'muted' }, 'Transactions per block, last 20 blocks (oldest left).'))),
    card('Recent blocks',
      table('Recent blocks', [{ label: 'Height' }, { label: 'Hash' }, { label: 'Txs', num: true }, { label: 'Proposer' }, { label: 'Time' }],
        blocks.map((b) => [links.block(b.height), hashText(b.hash, 16), fmtNum(b.txCount), hashText(b.proposer, 12), fmtTime(b.timestampMillis)]))),
    card('Faults reported',
      table('Faults', [{ label: 'Height' }, { label: 'Validator' }, { label: 'Expected root' }, { label: 'Signed root' }, { label: 'Recorded at' }],
        status.faults.map((f) => [links.block(f.height), hashText(f.validator, 12), hashText(f.expected), hashText(f.got), links.block(f.recordedAtHeight)]),
        'No validator has signed a state root that differs from this node\'s.')));
}
