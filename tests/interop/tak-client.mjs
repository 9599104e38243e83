// SPDX-License-Identifier: BSD-3-Clause
// The TAK side of the interop suite (tests/interop/README.md): real TAK client code,
// @tak-ps/node-cot, builds CoT XML and TAK protobuf messages, sends them from a UDP socket,
// receives what the guard released on another, and checks both ends.
//
//   node tak-client.mjs build   --npm DIR --out MSGS.json [--tak]
//   node tak-client.mjs receive --bind ADDR --ports P,P --out RECV.jsonl --ready FILE
//   node tak-client.mjs send    --msgs MSGS.json --to ADDR [--from ADDR]
//   node tak-client.mjs verify  --npm DIR --msgs MSGS.json --recv RECV.jsonl --stats STATS
//
// DIR is the npm prefix that holds node_modules/@tak-ps/node-cot (tools/lib/common.sh,
// ensure_node_cot). 'build' writes one record per message: name, channel, format, the
// decision the policy (interop-policy.yaml) must give it, uid, type, point, access and the
// payload bytes (hex). 'verify' exits 0 only if (a) guardd's per-channel, per-reason
// counters are exactly the expected ones and exactly the released messages arrived (each
// once, on its channel's port), and (b) every arrival parses in node-cot with the uid,
// type, point and access label that were sent (and its payload crossed byte for byte).
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Each format's channel in interop-policy.yaml: its UDP port (the same on both sides) and
// the guard's own low-side address and port that released datagrams come from.
const CHANNELS = {
    cot: { channel: 'interop-cot', port: 6969, egressFrom: '10.77.2.1:6969' },
    'tak-mesh': { channel: 'interop-tak', port: 6970, egressFrom: '10.77.2.1:6970' },
    'tak-stream': { channel: 'interop-tak-stream', port: 6971, egressFrom: '10.77.2.1:6971' },
};
// TAK Protocol v1 mesh framing: magic, varint protocol version 1, magic (GUARD-SPEC 5.2).
const MESH_HEADER = Buffer.from([0xbf, 0x01, 0xbf]);

// node-cot's to_proto gives a bare TakMessage; TAK clients frame it. Mesh: the header
// above; stream: magic, then the TakMessage's length as a varint.
function frame(format, proto) {
    if (format === 'tak-mesh') return Buffer.concat([MESH_HEADER, proto]);
    const len = [];
    for (let n = proto.length; ; n >>>= 7) {
        if (n < 0x80) { len.push(n); break; }
        len.push((n & 0x7f) | 0x80);
    }
    return Buffer.concat([Buffer.from([0xbf, ...len]), proto]);
}

// The TakMessage inside a released datagram, or an exception saying what is wrong.
function unframe(format, buf) {
    if (format === 'tak-mesh') {
        if (buf.length < 3 || !buf.subarray(0, 3).equals(MESH_HEADER))
            throw new Error(`no TAK mesh header (starts ${buf.subarray(0, 3).toString('hex')})`);
        return buf.subarray(3);
    }
    if (buf.length < 2 || buf[0] !== 0xbf) throw new Error('no TAK stream magic');
    let len = 0, i = 1, shift = 0;
    for (; i < buf.length && i < 6; i++, shift += 7) {
        len += (buf[i] & 0x7f) * 2 ** shift;
        if (!(buf[i] & 0x80)) break;
    }
    if (i >= buf.length || len !== buf.length - i - 1)
        throw new Error(`TAK stream length ${len} is not the rest of the datagram (${buf.length - i - 1})`);
    return buf.subarray(i + 1);
}

function die(msg) {
    process.stderr.write(`tak-client: error: ${msg}\n`);
    process.exit(1);
}

function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--')) die(`unexpected argument '${a}'`);
        const key = a.slice(2);
        if (key === 'tak') {
            out.tak = true;
            continue;
        }
        if (i + 1 >= argv.length) die(`${a} needs a value`);
        out[key] = argv[++i];
    }
    return out;
}

// Load node-cot from the npm prefix DIR (not from the system, not from this tree).
async function loadNodeCot(dir) {
    if (!dir) die('--npm DIR is required');
    const pkgDir = path.join(dir, 'node_modules', '@tak-ps', 'node-cot');
    const pkgFile = path.join(pkgDir, 'package.json');
    if (!fs.existsSync(pkgFile))
        die(`@tak-ps/node-cot is not installed under ${dir} (tools/test installs it: ensure_node_cot in tools/lib/common.sh)`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    const entry = pkg.exports?.['.']?.import ?? pkg.main;
    const mod = await import(pathToFileURL(path.join(pkgDir, entry)).href);
    return { mod, version: pkg.version };
}

const iso = (ms) => new Date(ms).toISOString();

// The labels (CoT 'access' / TakMessage CotEvent.access, GUARD-SPEC 4.1 marking strings).
// MN = USA, GBR, DEU (interop-policy.yaml).
const REL_MN = 'NATO SECRET//REL TO USA, GBR, DEU';
const REL_NATO = 'NATO RESTRICTED//REL TO NATO';
const REL_CONF = 'NATO CONFIDENTIAL//REL TO USA, GBR, DEU, FRA';
const REL_NO_DEU = 'NATO SECRET//REL TO USA, GBR';

// The messages: [name, decision the policy must give, builder]. Each is built afresh for
// each format so that every message has its own uid.
function scenarios(nc, now, tag) {
    const { CoTParser, DirectChat } = nc;
    const times = (staleMs) => ({ time: iso(now), start: iso(now), stale: iso(now + staleMs) });
    // A point feature through node-cot's GeoJSON front end (what TAK server tools use).
    const feature = async (id, type, how, callsign, coords, extra = {}) =>
        CoTParser.from_geojson({
            id, type: 'Feature',
            properties: { type, how, callsign, ...times(10 * 60 * 1000), ...extra },
            geometry: { type: 'Point', coordinates: coords },
        });
    const chat = (to, text, lat, lon) => {
        const c = new DirectChat({
            to: { uid: 'ANDROID-interop-hq', callsign: 'HQ' },
            from: { uid: `ANDROID-interop-${tag}-a`, callsign: 'VIPER 1' },
            message: text,
        });
        c.raw.event._attributes.time = iso(now);
        c.raw.event._attributes.start = iso(now);
        c.raw.event._attributes.stale = iso(now + 10 * 60 * 1000);
        c.raw.event.point._attributes = { lat: String(lat), lon: String(lon), hae: '9999999', ce: '9999999', le: '9999999' };
        return c;
    };
    const label = (cot, access) => {
        if (access !== undefined) cot.raw.event._attributes.access = access;
        return cot;
    };
    return [
        ['pli', 'release', async () => label(await feature(`ANDROID-interop-${tag}-pli`, 'a-f-G-U-C', 'm-g', 'VIPER 1',
            [11.575, 48.1375, 519.4], { speed: 4.2, course: 87, remarks: 'moving to phase line BRAVO' }), REL_MN)],
        ['geochat', 'release', async () => label(chat('HQ', 'Rally at checkpoint 2 at 0400', 48.14, 11.58), REL_NATO)],
        ['geochat-term', 'prohibited_content', async () =>
            label(chat('HQ', 'Commence Operation  Nightfall at 0400, acknowledge', 48.14, 11.58), REL_NATO)],
        ['map-point', 'release', async () => label(await feature(`interop-${tag}-spot-1`, 'b-m-p-s-p-i', 'h-g-i-g-o', 'SPI 1',
            [11.6021, 48.1513, 530]), REL_CONF)],
        ['hostile', 'release', async () => label(await feature(`interop-${tag}-hostile-1`, 'a-h-G', 'h-e', 'ENEMY BTR',
            [11.6402, 48.1877, 512.25], { remarks: 'BTR-80 moving north' }), REL_MN)],
        ['hostile-nolabel', 'unlabelled', async () => label(await feature(`interop-${tag}-hostile-2`, 'a-h-G', 'h-e', 'ENEMY T-72',
            [11.651, 48.1901, 508]), undefined)],
        ['casevac', 'release', async () => label(CoTParser.from_xml(casevacXml(`interop-${tag}-medevac-1`, now, 48.1302, 11.5608, 521.7)), REL_NATO)],
        ['casevac-rel', 'not_releasable', async () => label(CoTParser.from_xml(casevacXml(`interop-${tag}-medevac-2`, now, 48.1311, 11.5631, 522)), REL_NO_DEU)],
        ['pli-stale', 'stale', async () => {
            const c = await feature(`ANDROID-interop-${tag}-old`, 'a-f-G-U-C', 'm-g', 'VIPER 2', [11.5, 48.1, 500]);
            c.raw.event._attributes.time = iso(now - 2 * 3600 * 1000);
            c.raw.event._attributes.start = iso(now - 2 * 3600 * 1000);
            c.raw.event._attributes.stale = iso(now - 3600 * 1000);
            return label(c, REL_MN);
        }],
    ];
}

// An ATAK-style CASEVAC (9-line MEDEVAC) request, as ATAK's MedEvac tool writes it.
function casevacXml(uid, now, lat, lon, hae) {
    return `<event version="2.0" uid="${uid}" type="b-r-f-h-c" how="h-g-i-g-o" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 3600 * 1000)}">` +
        `<point lat="${lat}" lon="${lon}" hae="${hae}" ce="9999999" le="9999999"/>` +
        '<detail><contact callsign="MED.061530"/>' +
        '<_medevac_ title="MED.061530" casevac="true" freq="38.90" urgent="1" priority="0" routine="0" ' +
        'hoist="false" extraction_equipment="false" ventilator="false" litter="1" ambulatory="0" security="0" ' +
        'hlz_marking="3" us_military="1" us_civilian="0" nonus_military="0" nonus_civilian="0" epw="0" child="0" ' +
        'terrain_none="true" medline_remarks="one litter, gunshot wound left leg"/>' +
        '<link uid="ANDROID-interop-medic" type="a-f-G-U-C" relation="p-p"/>' +
        '<remarks>CASEVAC request, LZ marked with smoke</remarks></detail></event>';
}

function pointOf(cot) {
    const p = cot.raw.event.point._attributes;
    return { lat: Number(p.lat), lon: Number(p.lon), hae: Number(p.hae) };
}

async function cmdBuild(opts) {
    const { mod: nc, version } = await loadNodeCot(opts.npm);
    if (!opts.out) die('build: --out FILE is required');
    const formats = opts.tak ? ['cot', 'tak-mesh', 'tak-stream'] : ['cot'];
    const now = Date.now();
    const msgs = [];
    for (const format of formats) {
        const tag = { cot: 'x', 'tak-mesh': 'p', 'tak-stream': 's' }[format];
        for (const [name, expect, make] of scenarios(nc, now, tag)) {
            const cot = await make();
            let payload;
            if (format === 'cot') {
                payload = Buffer.from(nc.CoTParser.to_xml(cot), 'utf8');
            } else {
                payload = frame(format, Buffer.from(await nc.CoTParser.to_proto(cot, 1)));
            }
            const a = cot.raw.event._attributes;
            msgs.push({
                name, format, expect, ...CHANNELS[format],
                uid: a.uid, type: a.type, access: a.access ?? null, point: pointOf(cot),
                size: payload.length, payload: payload.toString('hex'),
            });
        }
    }
    fs.writeFileSync(opts.out, JSON.stringify({ nodeCot: version, built: iso(now), msgs }, null, 1));
    console.log(`tak-client: built ${msgs.length} messages with @tak-ps/node-cot ${version} (${formats.join(', ')})`);
}

async function cmdReceive(opts) {
    if (!opts.out || !opts.ports || !opts.ready) die('receive: --ports, --out and --ready are required');
    const bind = opts.bind ?? '0.0.0.0';
    const ports = opts.ports.split(',').map(Number);
    fs.writeFileSync(opts.out, '');
    let bound = 0;
    const socks = ports.map((port) => {
        const s = dgram.createSocket('udp4');
        s.on('message', (buf, rinfo) => {
            fs.appendFileSync(opts.out, JSON.stringify({
                port, from: `${rinfo.address}:${rinfo.port}`, payload: buf.toString('hex'),
            }) + '\n');
        });
        s.on('error', (e) => die(`receive on ${bind}:${port}: ${e.message}`));
        s.bind(port, bind, () => {
            if (++bound === ports.length) fs.writeFileSync(opts.ready, 'ready\n');
        });
        return s;
    });
    const stop = () => {
        for (const s of socks) s.close();
        process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

async function cmdSend(opts) {
    if (!opts.msgs || !opts.to) die('send: --msgs and --to are required');
    const { msgs } = JSON.parse(fs.readFileSync(opts.msgs, 'utf8'));
    const s = dgram.createSocket('udp4');
    await new Promise((res, rej) => {
        s.once('error', rej);
        s.bind({ address: opts.from ?? '0.0.0.0', port: 0 }, res);
    });
    for (const m of msgs) {
        const buf = Buffer.from(m.payload, 'hex');
        await new Promise((res, rej) => s.send(buf, m.port, opts.to, (e) => (e ? rej(e) : res())));
        // Paced: the guard is not under test for load here, and the veth queues are short.
        await new Promise((res) => setTimeout(res, 20));
    }
    s.close();
    console.log(`tak-client: sent ${msgs.length} datagrams to ${opts.to}`);
}

// guardd --stats-file: "# guardd counters", then "CHANNEL REASON COUNT" lines and totals.
function readStats(file) {
    const cnt = new Map();
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length !== 3 || line.startsWith('#') || f[0] === 'total') continue;
        cnt.set(`${f[0]} ${f[1]}`, Number(f[2]));
    }
    return cnt;
}

async function cmdVerify(opts) {
    const { mod: nc } = await loadNodeCot(opts.npm);
    if (!opts.msgs || !opts.recv || !opts.stats) die('verify: --msgs, --recv and --stats are required');
    const { msgs, nodeCot } = JSON.parse(fs.readFileSync(opts.msgs, 'utf8'));
    const recv = fs.readFileSync(opts.recv, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const stats = readStats(opts.stats);
    const problems = [];

    // Parse every arrival with node-cot, as a TAK client on the low side would.
    const arrivals = [];
    for (const r of recv) {
        const buf = Buffer.from(r.payload, 'hex');
        const format = Object.keys(CHANNELS).find((f) => CHANNELS[f].port === r.port);
        const a = { ...r, buf, format, cot: null, error: null, matched: false };
        try {
            if (format === 'cot') {
                a.cot = nc.CoTParser.from_xml(buf);
            } else {
                a.cot = await nc.CoTParser.from_proto(unframe(format, buf), 1);
            }
        } catch (e) {
            a.error = e.message ?? String(e);
        }
        arrivals.push(a);
    }

    const rows = [];
    for (const m of msgs) {
        const got = arrivals.filter((a) => a.cot && a.format === m.format && a.cot.raw.event._attributes.uid === m.uid);
        for (const a of got) a.matched = true;
        const row = { ...m, arrived: got.length, check: '' };
        const released = m.expect === 'release';
        if (released && got.length !== 1) {
            problems.push(`${m.format} ${m.name} (${m.uid}): expected released, arrived ${got.length} times`);
            row.check = 'MISSING';
        } else if (!released && got.length !== 0) {
            problems.push(`${m.format} ${m.name} (${m.uid}): expected ${m.expect}, but it arrived`);
            row.check = 'LEAKED';
        } else if (released) {
            const c = got[0].cot;
            const at = c.raw.event._attributes;
            const bad = [];
            if (at.uid !== m.uid) bad.push(`uid ${at.uid}`);
            if (at.type !== m.type) bad.push(`type ${at.type}`);
            if ((at.access ?? null) !== m.access) bad.push(`access '${at.access}'`);
            const p = pointOf(c);
            for (const k of ['lat', 'lon', 'hae'])
                if (p[k] !== m.point[k]) bad.push(`${k} ${p[k]} != ${m.point[k]}`);
            if (!got[0].buf.equals(Buffer.from(m.payload, 'hex'))) bad.push('payload bytes differ');
            // Re-originated (GUARD-SPEC 3): from the guard's own address, not the sender's.
            if (got[0].from !== m.egressFrom) bad.push(`came from ${got[0].from}, not ${m.egressFrom}`);
            if (bad.length) {
                problems.push(`${m.format} ${m.name} (${m.uid}): arrived changed: ${bad.join(', ')}`);
                row.check = 'CHANGED';
            } else {
                row.check = 'same uid/type/point/access, bytes';
            }
        } else {
            row.check = 'not delivered';
        }
        rows.push(row);
    }
    for (const a of arrivals) {
        if (a.error) problems.push(`arrival on port ${a.port} (${a.buf.length} bytes) does not parse in node-cot: ${a.error}`);
        else if (!a.matched) problems.push(`unexpected arrival on port ${a.port}: uid ${a.cot.raw.event._attributes.uid}`);
    }

    // (a) counters: every (channel, reason) the messages should produce, and nothing else
    // on these channels.
    const want = new Map();
    for (const m of msgs) want.set(`${m.channel} ${m.expect}`, (want.get(`${m.channel} ${m.expect}`) ?? 0) + 1);
    const chans = new Set(msgs.map((m) => m.channel));
    for (const [k, n] of want)
        if (stats.get(k) !== n) problems.push(`counter '${k}': guardd ${stats.get(k) ?? 0}, expected ${n}`);
    for (const [k, n] of stats) {
        const ch = k.split(' ')[0];
        if (chans.has(ch) && !want.has(k)) problems.push(`counter '${k}': guardd ${n}, expected 0`);
    }
    const other = [...stats].filter(([k]) => !chans.has(k.split(' ')[0]));

    // The decision table.
    const w = (s, n) => String(s).padEnd(n);
    console.log(`\nnode-cot ${nodeCot}: ${msgs.length} messages sent, ${recv.length} datagrams received`);
    console.log(`${w('format', 12)}${w('message', 17)}${w('type', 13)}${w('label (access)', 46)}${w('expected', 19)}${w('arrived', 8)}check`);
    for (const r of rows)
        console.log(`${w(r.format, 12)}${w(r.name, 17)}${w(r.type, 13)}${w(r.access ?? '(none)', 46)}${w(r.expect, 19)}${w(r.arrived, 8)}${r.check}`);
    console.log('\nguardd counters (channel reason count):');
    for (const [k, n] of stats) console.log(`  ${k} ${n}`);
    if (other.length) console.log(`  (${other.length} counter rows outside the test channels: noise on the links, not checked)`);

    if (problems.length) {
        console.log(`\nFAILED: ${problems.length} problem(s):`);
        for (const p of problems) console.log(`  - ${p}`);
        process.exit(1);
    }
    console.log('\nPASS: decisions and counters as the policy says; every released message arrived once and parses in node-cot unchanged');
}

const [cmd, ...rest] = process.argv.slice(2);
const opts = parseArgs(rest);
const cmds = { build: cmdBuild, receive: cmdReceive, send: cmdSend, verify: cmdVerify };
if (!cmds[cmd]) die(`usage: tak-client.mjs build|receive|send|verify [options] (see the header)`);
await cmds[cmd](opts);
