// driver.js — the loop every Node.js engine driver runs: read the systems (JSON Lines), turn each
// into the engine's input before any clock starts, then either evaluate every system once and
// print its canonical answer line (--mode check), or evaluate them all under the clock
// (--mode time) and print one JSON line with the count, wall and CPU seconds and the rates.
// With --budget S the timed loop stops once S seconds have passed and at least 1000 systems
// (or all of them) are done, so that a slow engine is measured on the first systems only.
'use strict';

const fs = require('fs');
const { loadProgram, readJsonLines, systemValues, canonical } = require('./ir');

function parseArgs(argv, extra) {
    const o = { mode: 'check', repeat: 1, budget: 0 };
    for (let i = 2; i < argv.length; i += 2) {
        const a = argv[i], v = argv[i + 1];
        if (v === undefined)
            throw new Error(`${a} needs a value`);
        if (a === '--program') o.program = v;
        else if (a === '--systems') o.systems = v;
        else if (a === '--mode') o.mode = v;
        else if (a === '--repeat') o.repeat = Number(v);
        else if (a === '--budget') o.budget = Number(v);
        else if (extra.includes(a.slice(2))) o[a.slice(2)] = v;
        else throw new Error(`unknown argument ${a}`);
    }
    if (!o.program || !o.systems || !['check', 'time'].includes(o.mode) || !(o.repeat >= 1) || !(o.budget >= 0))
        throw new Error(`usage: --program IR.json --systems SYSTEMS.jsonl [--mode check|time] [--repeat N] [--budget SECONDS] ${extra.map((x) => `--${x} FILE`).join(' ')}`);
    return o;
}

// engine: {name, extra: [option names], setup(ir, opts) -> state, input(ir, sys) -> input,
//          evaluate(state, input) -> Promise<raw>, answer(ir, raw) -> answer or Promise<answer>}
async function run(engine) {
    let o;
    try {
        o = parseArgs(process.argv, engine.extra || []);
    } catch (e) {
        process.stderr.write(`${engine.name}: ${e.message}\n`);
        process.exit(2);
    }
    const ir = loadProgram(o.program);
    const state = await engine.setup(ir, o);
    const inputs = readJsonLines(o.systems).map((obj) => engine.input(ir, systemValues(ir, obj)));
    if (o.mode === 'check') {
        let lines = [];
        for (const input of inputs) {
            lines.push(canonical(ir, await engine.answer(ir, await engine.evaluate(state, input))));
            if (lines.length === 1000) {
                fs.writeSync(1, lines.join('\n') + '\n');
                lines = [];
            }
        }
        if (lines.length)
            fs.writeSync(1, lines.join('\n') + '\n');
        return;
    }
    if (global.gc)
        global.gc();
    const total = inputs.length * o.repeat;
    const least = Math.min(1000, total);
    const budget = BigInt(Math.round(o.budget * 1e9));
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let n = 0;
    outer:
    for (let r = 0; r < o.repeat; r++) {
        for (const input of inputs) {
            await engine.evaluate(state, input);
            if (++n >= least && budget > 0n && process.hrtime.bigint() - t0 > budget)
                break outer;
        }
    }
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    process.stdout.write(JSON.stringify({
        engine: engine.name, evaluations: n, of: total, wall_seconds: wall, cpu_seconds: cpu,
        per_second: n / wall, per_cpu_second: n / cpu,
    }) + '\n');
}

function main(engine) {
    run(engine).catch((e) => {
        process.stderr.write(`${engine.name}: ${e.stack || e.message}\n`);
        process.exit(2);
    });
}

module.exports = { main };
