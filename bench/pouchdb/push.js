// push.js: the first push of a centre with PouchDB. It loads the documents
// (dump.go's output, one JSON document a line) into a fresh local PouchDB
// (leveldb adapter; not timed), then times db.replicate.to(remote) from
// its start to "complete", as a PouchDB app's first replication does.
//
//   node push.js DOCS.ndjson DIR http://127.0.0.1:PORT/centre [BATCH_SIZE [SERVER_PID]]
//
// BATCH_SIZE is replicate's batch_size (PouchDB's default: 100; "" keeps
// it). Prints one JSON line: docs, seconds, bytes on the wire (both ways,
// headers included, counted by server.js), and the CPU seconds of this
// process and of the server (SERVER_PID, from /proc) during the replication.
'use strict';
const fs = require('fs');
const readline = require('readline');
const PouchDB = require('pouchdb-node');

async function main() {
  const [file, dir, remote, batch, serverPid] = process.argv.slice(2);
  if (!file || !dir || !remote) {
    console.error('usage: node push.js DOCS.ndjson DIR REMOTE_URL [BATCH_SIZE]');
    process.exit(2);
  }
  const local = new PouchDB(dir.replace(/\/?$/, '/') + 'local');
  let docs = 0, buf = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    buf.push(JSON.parse(line));
    if (buf.length === 1000) { docs += await put(local, buf); buf = []; }
  }
  if (buf.length) docs += await put(local, buf);

  const base = new URL(remote);
  const bytes = async () => (await fetch(`${base.origin}/_bench_bytes`)).json();
  const before = await bytes();
  const opts = {};
  if (batch) opts.batch_size = Number(batch);
  const serverCPU = () => {
    if (!serverPid) return 0;
    const f = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in ticks (USER_HZ 100)
  };
  const s0 = serverCPU();
  const c0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const info = await local.replicate.to(remote, opts);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const c1 = process.cpuUsage(c0);
  const s1 = serverCPU();
  const after = await bytes();
  const out = {
    docs, written: info.docs_written, batch_size: opts.batch_size || 100, seconds: +secs.toFixed(2),
    docs_per_s: Math.round(info.docs_written / secs),
    bytes_up: after.read - before.read, bytes_down: after.written - before.written,
    cpu_client_s: +((c1.user + c1.system) / 1e6).toFixed(1), cpu_server_s: +(s1 - s0).toFixed(1),
  };
  if (info.status !== 'complete' || info.docs_written !== docs) {
    console.error('replication incomplete', info);
    process.exit(1);
  }
  console.log(JSON.stringify(out));
  await local.close();
}

async function put(db, docs) {
  const res = await db.bulkDocs(docs);
  for (const r of res) if (r.error) throw new Error(`${r.id}: ${r.message}`);
  return docs.length;
}

main().catch((e) => { console.error(e); process.exit(1); });
