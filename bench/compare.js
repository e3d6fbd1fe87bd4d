#!/usr/bin/env node
// compare.js — the agreement check that comes before any timing. Two uses:
//
//   compare.js canon --program IR.json --report KADER.jsonl|- > kader.canon
//       kader's JSON reports (one per line, as `kader eval --format json` prints them; '-' reads
//       them from a pipe, so that the reports of a large run are never stored) as canonical
//       answer lines (lib/ir.js);
//   compare.js agree --manifest MANIFEST.tsv REFERENCE.canon OTHER.canon...
//       every file must have the same line for every system as the reference; prints each
//       disagreement (system, file, the answers that differ) and exits 1 if there is any.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { loadProgram, canonicalFromReport } = require('./lib/ir');

function lines(file) {
    const text = fs.readFileSync(file, 'utf8');
    return text.length ? text.replace(/\n$/, '').split('\n') : [];
}

async function canon(args) {
    const o = {};
    for (let i = 0; i < args.length; i += 2)
        o[args[i].replace(/^--/, '')] = args[i + 1];
    if (!o.program || !o.report)
        throw new Error('usage: compare.js canon --program IR.json --report KADER.jsonl|-');
    const ir = loadProgram(o.program);
    const input = o.report === '-' ? process.stdin : fs.createReadStream(o.report);
    let out = [];
    for await (const l of readline.createInterface({ input, crlfDelay: Infinity })) {
        if (l === '')
            continue;
        out.push(canonicalFromReport(ir, JSON.parse(l)));
        if (out.length === 1000) {
            fs.writeSync(1, out.join('\n') + '\n');
            out = [];
        }
    }
    if (out.length)
        fs.writeSync(1, out.join('\n') + '\n');
}

function fields(line) {
    const m = new Map();
    for (const part of line.split('\t')) {
        const eq = part.indexOf('=');
        m.set(part.slice(0, eq), part.slice(eq + 1));
    }
    return m;
}

function agree(args) {
    let manifest = null;
    if (args[0] === '--manifest') {
        manifest = lines(args[1]).map((l) => l.split('\t')[0]);
        args = args.slice(2);
    }
    if (args.length < 2)
        throw new Error('usage: compare.js agree [--manifest MANIFEST.tsv] REFERENCE.canon OTHER.canon...');
    const [refFile, ...others] = args;
    const ref = lines(refFile);
    let bad = 0;
    const shown = 20;
    for (const file of others) {
        const got = lines(file);
        const name = path.basename(file, '.canon');
        if (got.length !== ref.length) {
            process.stdout.write(`${name}: ${got.length} answers for ${ref.length} systems\n`);
            bad++;
        }
        let differ = 0;
        for (let i = 0; i < Math.min(got.length, ref.length); i++) {
            if (got[i] === ref[i])
                continue;
            if (++differ <= shown) {
                const a = fields(ref[i]), b = fields(got[i]);
                const keys = new Set([...a.keys(), ...b.keys()]);
                const diffs = [...keys].filter((k) => a.get(k) !== b.get(k))
                    .map((k) => `    ${k}: ${path.basename(refFile, '.canon')} ${a.get(k)}, ${name} ${b.get(k)}`);
                process.stdout.write(`${name} disagrees on system ${i + 1}${manifest ? ` (${manifest[i]})` : ''}:\n${diffs.join('\n')}\n`);
            }
        }
        if (differ > shown)
            process.stdout.write(`${name}: ... ${differ - shown} more systems disagree\n`);
        if (differ)
            bad++;
        else if (got.length === ref.length)
            process.stdout.write(`${name}: agrees with ${path.basename(refFile, '.canon')} on all ${ref.length} systems\n`);
    }
    process.exit(bad ? 1 : 0);
}

async function main() {
    const [cmd, ...rest] = process.argv.slice(2);
    if (cmd === 'canon') await canon(rest);
    else if (cmd === 'agree') agree(rest);
    else throw new Error('usage: compare.js canon|agree ...');
}

main().catch((e) => {
    process.stderr.write(`compare: ${e.message}\n`);
    process.exit(2);
});
