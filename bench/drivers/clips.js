#!/usr/bin/env node
// clips.js — the Node.js side of the CLIPS runs (the loop itself is bench/drivers/main.clp, run
// by the `clips` program so that its time and memory are CLIPS's alone):
//
//   clips.js input --program IR.json --systems SYSTEMS.jsonl > SYSTEMS.clp-facts
//       each system as the text of its `sys` fact, one per line;
//   clips.js canon --program IR.json --answers ANSWERS > CLIPS.canon
//       the answers main.clp wrote in check mode as canonical answer lines (lib/ir.js).
'use strict';

const fs = require('fs');
const readline = require('readline');
const { loadProgram, readJsonLines, systemValues, canonical } = require('../lib/ir');
const { clipsFact } = require('../lib/to-clips');

function args(list) {
    const o = {};
    for (let i = 0; i < list.length; i += 2)
        o[list[i].replace(/^--/, '')] = list[i + 1];
    return o;
}

// A value as CLIPS printed it: nil, a number, a symbol, "a string", or a stored set
// (set "a" "b" ...).
function parseValue(text, truth) {
    const t = text.trim();
    if (truth)
        return t === '1' ? true : t === '0' ? false : null;
    if (t === 'nil' || t === '')
        return null;
    const strings = [];
    const re = /"((?:[^"\\]|\\.)*)"/g;
    let m;
    while ((m = re.exec(t)) !== null)
        strings.push(m[1].replace(/\\(.)/g, '$1'));
    if (t.startsWith('set'))
        return strings;
    if (strings.length)
        return strings[0];
    return t;
}

async function canon(o) {
    const ir = loadProgram(o.program);
    let out = [];
    let done = 0;
    let a = null;
    const input = fs.createReadStream(o.answers);
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
        if (line === '')
            continue;
        const f = line.split('\t');
        switch (f[0]) {
        case 'S':
            a = {
                phase: null, labels: ir.labels.map(() => null),
                reqs: ir.requirements.map(() => null), procs: ir.procedures.map(() => null),
                conclusion: null, warnings: ir.warnings.map(() => false),
            };
            break;
        case 'H': a.phase = parseValue(f[1]); break;
        case 'L': a.labels[+f[1]] = parseValue(f[2]); break;
        case 'R': a.reqs[+f[1]] = [f[2], parseValue(f[3], true), f[4] === 'nil' ? null : f[4]]; break;
        case 'P': a.procs[+f[1]] = [f[2], parseValue(f[3]), parseValue(f[4], true)]; break;
        case 'W': a.warnings[+f[1]] = true; break;
        case 'C': a.conclusion = parseValue(f[1]); break;
        case 'E':
            done++;
            for (const [what, list] of [['requirement', a.reqs], ['procedure', a.procs]])
                if (list.includes(null))
                    throw new Error(`system ${done}: CLIPS gave no answer for a ${what}`);
            out.push(canonical(ir, a));
            if (out.length === 1000) {
                fs.writeSync(1, out.join('\n') + '\n');
                out = [];
            }
            break;
        default:
            throw new Error(`unexpected line in the CLIPS answers: ${line}`);
        }
    }
    if (out.length)
        fs.writeSync(1, out.join('\n') + '\n');
}

function input(o) {
    const ir = loadProgram(o.program);
    const lines = readJsonLines(o.systems).map((obj) => clipsFact(ir, systemValues(ir, obj)));
    process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
}

async function main() {
    const [cmd, ...rest] = process.argv.slice(2);
    const o = args(rest);
    if (!o.program || (cmd === 'canon' && !o.answers) || (cmd === 'input' && !o.systems))
        throw new Error('usage: clips.js input --program IR.json --systems SYSTEMS.jsonl | canon --program IR.json --answers FILE');
    if (cmd === 'canon') await canon(o);
    else if (cmd === 'input') input(o);
    else throw new Error(`unknown command ${cmd}`);
}

main().catch((e) => {
    process.stderr.write(`clips.js: ${e.message}\n`);
    process.exit(2);
});
