#!/usr/bin/env node
// report.js — turns one benchmark run's measurements (bench/run.sh leaves them in
// WORK/nN/timing) into the table: printed, saved as WORK/nN/results.json, and written into
// bench/RESULTS.md between the "results" markers (the rest of that file is written by people).
//
// usage: report.js --work DIR --n N[,N...] --check-us MICROSECONDS --command TEXT --results FILE
//                  [--load LOADAVG] [--version KADER_VERSION]
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const BEGIN = '<!-- results:begin — bench/run.sh writes this part; edit outside the markers -->';
const END = '<!-- results:end -->';

function args() {
    const o = {};
    const a = process.argv.slice(2);
    for (let i = 0; i < a.length; i += 2)
        o[a[i].replace(/^--/, '')] = a[i + 1];
    for (const k of ['work', 'n', 'check-us', 'command', 'results'])
        if (o[k] === undefined)
            throw new Error(`--${k} is required`);
    return o;
}

function readJson(file) {
    return JSON.parse(fs.readFileSync(file, 'utf8').trim().split('\n').pop());
}

function run(cmd, argv) {
    try {
        return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch (e) {
        return '';
    }
}

function machine(repo) {
    const lscpu = run('lscpu', []);
    const field = (name) => ((lscpu.match(new RegExp(`^${name}:\\s*(.*)$`, 'm')) || [])[1] || '?').trim();
    const mem = (fs.readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s*(\d+)/) || [])[1];
    const pkg = (p) => run('dpkg-query', ['-W', '-f=${Version}', p]) || '?';
    const npmVersion = (p) => {
        try {
            return JSON.parse(fs.readFileSync(path.join(repo, 'bench', 'peers', 'node_modules', p, 'package.json'), 'utf8')).version;
        } catch (e) {
            return '?';
        }
    };
    return {
        cpu: field('Model name'), cpus: field('CPU\\(s\\)'), hypervisor: field('Hypervisor vendor'),
        memory_gib: mem ? (mem / 1048576).toFixed(1) : '?',
        uname: run('uname', ['-a']),
        kader: run('git', ['-C', repo, 'describe', '--always', '--dirty']) || '?', // replaced by --version
        cc: run('cc', ['--version']).split('\n')[0],
        clips: pkg('clips'), libyaml: pkg('libyaml-0-2'), node: process.version,
        jsre: npmVersion('json-rules-engine'), zen: npmVersion('@gorules/zen-engine'),
    };
}

const fmt = (x, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, ' '));
const ratio = (a, b) => (a && b ? a / b : null);
const times = (x) => (x === null ? '–' : `${x >= 100 ? fmt(x) : fmt(x, 1)}×`);
const mib = (kb) => (kb ? `${fmt(kb / 1024, 1)} MiB` : '–');

// The measurements of one count N, and the lines of its tables.
function count(o, n, m) {
    const d = path.join(o.work, `n${n}`, 'timing');
    const t = (name) => readJson(path.join(d, `${name}.time`));
    const inproc = readJson(path.join(d, 'kader-inproc.json'));
    const clips = readJson(path.join(d, 'clips.json'));
    const jsre = readJson(path.join(d, 'json-rules-engine.json'));
    const zen = readJson(path.join(d, 'zen.json'));
    const yaml = readJson(path.join(d, 'libyaml.json'));
    const cpuOf = (x) => x.user_seconds + x.system_seconds;
    const batch = t('kader-batch'), jsonl = t('kader-jsonl'), tenth = t('kader-jsonl-tenth');
    const yamlTime = t('libyaml');
    const kaderRate = inproc.all.per_cpu_second;
    const jsonlRate = n / cpuOf(jsonl);
    const peers = [
        { name: `CLIPS ${m.clips}`, what: 'reset, assert the system, run (CLIPS\'s own clock)', r: clips, time: t('clips'), target: 10 },
        { name: `json-rules-engine ${m.jsre}`, what: '`engine.run(facts)`', r: jsre, time: t('json-rules-engine'), target: 50 },
        { name: `ZEN ${m.zen}`, what: '`decision.evaluate(input)`', r: zen, time: t('zen'), target: 100 },
    ];
    // libyaml's own clock: its run is too short for /usr/bin/time's hundredths of a second.
    const yamlRate = yaml.per_cpu_second;
    const batchRate = n / cpuOf(batch);
    const results = {
        systems: { total: inproc.systems, complete: inproc.complete, incomplete: inproc.incomplete },
        rules: inproc.rules,
        kader_inproc: inproc, peers: peers.map((p) => ({ name: p.name, rate: p.r, process: p.time, kader_ratio: ratio(kaderRate, p.r.per_cpu_second) })),
        kader_batch: { process: batch, files_per_cpu_second: batchRate, files_per_second: n / batch.wall_seconds, of_libyaml: batchRate / yamlRate },
        kader_jsonl: { process: jsonl, per_cpu_second: jsonlRate },
        kader_jsonl_tenth: { process: tenth, systems: Math.max(1, Math.floor(n / 10)) },
        libyaml: { run: yaml, process: yamlTime },
    };

    const L = [];
    L.push(`### ${fmt(n)} systems`, '');
    L.push(`${fmt(inproc.systems)} facts files (${fmt(inproc.complete)} complete, ${fmt(inproc.incomplete)} incomplete); all five answer sets (kader CLI, kader in-process, CLIPS, json-rules-engine, ZEN) agree on every system.`, '');
    L.push('Evaluations per second, facts already loaded:', '');
    L.push('| engine | what is timed | systems timed | per CPU second | per second (wall) | kader in-process is | target | kader `--jsonl` end to end is | peak RSS |');
    L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    L.push(`| **kader** in-process, all systems | \`evaluate()\` | ${fmt(inproc.all.evaluations)} | **${fmt(inproc.all.per_cpu_second)}** | ${fmt(inproc.all.per_second)} | 1× | ≥ 1 000 000/s${inproc.all.per_cpu_second >= 1e6 ? ' (met)' : ' (not met)'} | | |`);
    L.push(`| kader in-process, complete facts | \`evaluate()\` | ${fmt(inproc.complete_facts.evaluations)} | ${fmt(inproc.complete_facts.per_cpu_second)} | ${fmt(inproc.complete_facts.per_second)} | | | | |`);
    L.push(`| kader in-process, incomplete facts | \`evaluate()\` | ${fmt(inproc.incomplete_facts.evaluations)} | ${fmt(inproc.incomplete_facts.per_cpu_second)} | ${fmt(inproc.incomplete_facts.per_second)} | | | | |`);
    for (const p of peers) {
        const r = ratio(kaderRate, p.r.per_cpu_second);
        const met = r === null ? '' : r >= p.target ? ' (met)' : ' (not met)';
        L.push(`| ${p.name} | ${p.what} | ${fmt(p.r.evaluations)} | ${fmt(p.r.per_cpu_second)} | ${p.r.per_second ? fmt(p.r.per_second) : '–'} | **${times(r)}** faster | ≥ ${p.target}×${met} | ${times(ratio(jsonlRate, p.r.per_cpu_second))} faster | ${mib(p.time.max_rss_kb)} |`);
    }
    L.push('');
    L.push('From files, whole processes:', '');
    L.push('| run | files per CPU second | per second (wall) | compared with libyaml parse-only | peak RSS |');
    L.push('|---|---:|---:|---:|---:|');
    L.push(`| libyaml parse-only: read each YAML file, parse it to the end, nothing else | ${fmt(yamlRate)} | ${fmt(yaml.per_second)} | 100 % | ${mib(yamlTime.max_rss_kb)} |`);
    L.push(`| \`kader eval --batch DIR --format json\` (the YAML files; rules loaded once, one report line each) | ${fmt(batchRate)} | ${fmt(n / batch.wall_seconds)} | **${fmt(100 * batchRate / yamlRate)} %** (target ≥ 90 %) | ${mib(batch.max_rss_kb)} |`);
    L.push(`| \`kader eval --jsonl FILE\` (the same systems as one JSON Lines file) | ${fmt(jsonlRate)} | ${fmt(n / jsonl.wall_seconds)} | | ${mib(jsonl.max_rss_kb)} |`);
    L.push('');
    L.push(`- **Peak memory against batch size**: \`kader eval --jsonl\` over ${fmt(results.kader_jsonl_tenth.systems)} systems ${mib(tenth.max_rss_kb)}, over ${fmt(n)} systems ${mib(jsonl.max_rss_kb)} (target: independent of the number of systems).`);
    L.push(`- **Loading and checking every rule file** (${inproc.rules.files} files; parse, resolve names, check types), in-process: fastest ${fmt(inproc.rules.load_ms_min, 2)} ms, median ${fmt(inproc.rules.load_ms_median, 2)} ms of ${inproc.rules.load_runs} loads (target < 5 ms).`);
    L.push(`- The peers' peak RSS includes Node.js and all ${fmt(n)} systems converted to their input before the clock starts; CLIPS reads one system at a time.`);
    return { results, lines: L, inproc };
}

function main() {
    const o = args();
    const repo = path.resolve(__dirname, '..');
    const counts = String(o.n).split(',').map(Number);
    const m = machine(repo);
    if (o.version)
        m.kader = o.version; // as it was when the run started
    const translation = readJson(path.join(o.work, 'translated', 'translation.json'));
    const notes = (fs.existsSync(path.join(o.work, 'notes.txt'))
        ? fs.readFileSync(path.join(o.work, 'notes.txt'), 'utf8').trim().split('\n').filter(Boolean) : [])
        .map((l) => ({ included: l.startsWith('in\t'), text: l.slice(l.indexOf('\t') + 1) }));
    const date = new Date().toISOString();
    const per = counts.map((n) => count(o, n, m));
    const rules = per[per.length - 1].inproc.rules;
    const checkMs = Number(o['check-us']) / 1000;
    per.forEach((x, k) => fs.writeFileSync(path.join(o.work, `n${counts[k]}`, 'results.json'), JSON.stringify({
        command: o.command, date, load_at_start: o.load || null, machine: m, translation, notes,
        kader_check_process_ms: checkMs, ...x.results,
    }, null, 1) + '\n'));

    const L = [];
    L.push('## Latest run', '');
    L.push(`- **Command**: \`${o.command}\` (${date.slice(0, 16).replace('T', ' ')} UTC, kader \`${m.kader}\`)`);
    L.push(`- **Machine**: ${m.cpu}, ${m.cpus} CPUs${m.hypervisor !== '?' ? ` (${m.hypervisor} guest)` : ''}, ${m.memory_gib} GiB; \`${m.uname}\``);
    if (o.load)
        L.push(`- **Load average when the run started**: ${o.load} (other work on the machine slows every engine; the CPU-time rates are the steadier figures, and the ratios compare CPU-time rates)`);
    L.push(`- **Compilers and peers**: ${m.cc}; libyaml ${m.libyaml}; CLIPS ${m.clips} (Debian 12's \`clips\` package: the 6.30 the issue asks for); Node.js ${m.node}; json-rules-engine ${m.jsre}; @gorules/zen-engine ${m.zen}`);
    L.push(`- **Rule set**: stdlib/ + rules/${notes.filter((x) => x.included).map((x) => ` + ${x.text}`).join('')}: ${rules.facts} facts, ${rules.definitions} definitions, ${rules.requirements} requirements, ${rules.procedures} procedures in ${rules.files} files`);
    for (const x of notes.filter((y) => !y.included))
        L.push(`- **Left out**: ${x.text}`);
    L.push(`- **Translations** (generated from the loaded program by bench/translate.js): CLIPS ${translation.clips.rules} rules, json-rules-engine ${translation['json-rules-engine'].rules} rules, ZEN ${translation.zen.expressions} expressions`);
    L.push(`- **\`kader check\` as a process** (start-up, loading, the lint warnings, output to /dev/null): median ${fmt(checkMs, 1)} ms of 21 runs`);
    for (const x of per)
        L.push('', ...x.lines);
    const section = L.join('\n');
    process.stdout.write(`\n${section}\n`);

    let text = fs.existsSync(o.results) ? fs.readFileSync(o.results, 'utf8') : '';
    const a = text.indexOf(BEGIN), b = text.indexOf(END);
    const block = `${BEGIN}\n${section}\n${END}`;
    if (a >= 0 && b > a)
        text = text.slice(0, a) + block + text.slice(b + END.length);
    else
        text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}\n${block}\n`;
    fs.writeFileSync(o.results, text);
}

try {
    main();
} catch (e) {
    process.stderr.write(`report: ${e.stack || e.message}\n`);
    process.exit(2);
}
