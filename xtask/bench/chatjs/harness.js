// `cargo xtask bench --chat`'s peer: many amazon-connect-chatjs customer sessions in one Node
// process, against the emulator. The same stdin/stdout protocol as `bench-chat-ours`
// (src/bin/chat_ours.rs): prints `empty` once the library is loaded, then answers
// `connect` with `connected OK FAILED`, `mark` (forget the latencies so far) with `ok`, `stats`
// with `stats RECEIVED DISTINCT P50_US P99_US`, and exits on `quit`.
//
// usage: node harness.js --endpoint URL --chats PATH
'use strict';

const fs = require('fs');
const readline = require('readline');
const { performance } = require('perf_hooks');

// chatjs is a browser bundle: it looks for `window`, `navigator` and a global `WebSocket`.
global.window = global;
global.self = global;
global.navigator = { userAgent: 'node', onLine: true, language: 'en-US' };
global.WebSocket = require('ws');
require('amazon-connect-chatjs');
const { ChatSession } = global.connect;

// Sessions connecting at once (as in bench-chat-ours).
const CONNECTING = 64;

function arg(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || at + 1 >= process.argv.length) {
    console.error('usage: node harness.js --endpoint URL --chats PATH');
    process.exit(2);
  }
  return process.argv[at + 1];
}
const endpoint = arg('--endpoint');
const chatsPath = arg('--chats');

ChatSession.setGlobalConfig({
  region: 'us-east-1',
  endpoint,
  loggerConfig: { useDefaultLogger: false, level: 40 },
  // Receipts off, as in bench-chat-ours (which sends none unless asked): the same load.
  features: { messageReceipts: { shouldSendMessageReceipts: false } },
});

const stats = { received: 0, distinct: 0, seen: new Set(), latencies: [] };

function record(text) {
  const words = typeof text === 'string' ? text.split(' ') : [];
  if (words.length !== 3 || words[0] !== 'bench') return;
  stats.received += 1;
  if (!stats.seen.has(words[1])) {
    stats.seen.add(words[1]);
    stats.distinct += 1;
  }
  const nowUs = (performance.timeOrigin + performance.now()) * 1000;
  stats.latencies.push(nowUs - Number(BigInt(words[2]) / 1000n));
}

// The sessions live until the process exits.
const sessions = [];

async function connectOne(contactId, participantId, token) {
  const session = ChatSession.create({
    chatDetails: { ContactId: contactId, ParticipantId: participantId, ParticipantToken: token },
    options: { region: 'us-east-1' },
    type: ChatSession.SessionTypes.CUSTOMER,
    disableCSM: true,
  });
  session.onMessage((event) => {
    if (event.data && event.data.ParticipantRole === 'AGENT') record(event.data.Content);
  });
  await session.connect();
  sessions.push(session);
}

async function connectAll() {
  const chats = fs.readFileSync(chatsPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.split(' '));
  let ok = 0;
  let failed = 0;
  let next = 0;
  async function worker() {
    while (next < chats.length) {
      const [contact, participant, token] = chats[next++];
      try {
        await connectOne(contact, participant, token);
        ok += 1;
      } catch (e) {
        failed += 1;
        if (failed <= 3) console.error('chatjs harness: a session did not connect:', e && (e.message || e));
      }
    }
  }
  await Promise.all(Array.from({ length: CONNECTING }, worker));
  return [ok, failed];
}

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.round((sorted.length - 1) * p)];
}

console.log('empty');
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  switch (line.trim()) {
    case 'connect': {
      const [ok, failed] = await connectAll();
      console.log(`connected ${ok} ${failed}`);
      break;
    }
    case 'mark':
      stats.latencies = [];
      console.log('ok');
      break;
    case 'stats': {
      const latencies = stats.latencies;
      const p50 = percentile(latencies, 0.5).toFixed(0);
      const p99 = percentile(latencies, 0.99).toFixed(0);
      console.log(`stats ${stats.received} ${stats.distinct} ${p50} ${p99}`);
      break;
    }
    case 'quit':
      process.exit(0);
      break;
    default:
      console.error(`chatjs harness: unknown command ${JSON.stringify(line)}`);
      process.exit(1);
  }
});
