#!/usr/bin/env node
// zen.js — runs the systems through the GoRules ZEN engine (@gorules/zen-engine), with the
// decision model bench/translate.js generated from the kader program (lib/to-zen.js).
//
// usage: zen.js --program IR.json --decision ZEN.json --systems SYSTEMS.jsonl [--mode check|time]
'use strict';

const fs = require('fs');
const path = require('path');
const { main } = require('../lib/driver');
const { zenInput, zenAnswer } = require('../lib/to-zen');

const peers = process.env.KADER_BENCH_PEERS || path.join(__dirname, '..', 'peers');
const { ZenEngine } = require(path.join(peers, 'node_modules', '@gorules', 'zen-engine'));

main({
    name: 'zen',
    extra: ['decision'],
    async setup(ir, o) {
        if (!o.decision)
            throw new Error('--decision ZEN.json is required');
        const engine = new ZenEngine();
        return engine.createDecision(JSON.parse(fs.readFileSync(o.decision, 'utf8')));
    },
    input: zenInput,
    async evaluate(decision, input) {
        return (await decision.evaluate(input)).result;
    },
    answer: zenAnswer,
});
