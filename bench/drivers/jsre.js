#!/usr/bin/env node
// jsre.js — runs the systems through json-rules-engine, with the rules bench/translate.js
// generated from the kader program (lib/to-jsre.js).
//
// usage: jsre.js --program IR.json --rules JSRE.json --systems SYSTEMS.jsonl [--mode check|time]
'use strict';

const fs = require('fs');
const path = require('path');
const { main } = require('../lib/driver');
const { OPERATORS, compute } = require('../lib/to-jsre');

const peers = process.env.KADER_BENCH_PEERS || path.join(__dirname, '..', 'peers');
const { Engine } = require(path.join(peers, 'node_modules', 'json-rules-engine'));

main({
    name: 'json-rules-engine',
    extra: ['rules'],
    async setup(ir, o) {
        if (!o.rules)
            throw new Error('--rules JSRE.json is required');
        const { rules } = JSON.parse(fs.readFileSync(o.rules, 'utf8'));
        const engine = new Engine([], { allowUndefinedFacts: true });
        for (const [name, fn] of Object.entries(OPERATORS))
            engine.addOperator(name, fn);
        for (const r of rules)
            engine.addRule(r);
        // A definition's rule fired: set it (a constant, a copy of another fact, or a value the
        // rules cannot compute themselves) for the rules of lower priority.
        engine.on('let', async (p, almanac) => {
            let v;
            if ('value' in p)
                v = p.value;
            else if (p.copy)
                v = await almanac.factValue(p.copy);
            else
                v = compute(p.compute, await Promise.all(p.args.map((a) => ('fact' in a ? almanac.factValue(a.fact) : a.value))));
            if (v !== undefined && v !== null)
                almanac.addRuntimeFact(p.name, v);
        });
        return engine;
    },
    input(ir, sys) {
        const facts = { today: sys.today };
        ir.facts.forEach((f, i) => {
            if (sys.values[i] !== null)
                facts[f.id] = sys.values[i];
        });
        return facts;
    },
    async evaluate(engine, facts) {
        const { events, almanac } = await engine.run(facts);
        return { events, almanac };
    },
    async answer(ir, { events, almanac }) {
        const out = {};
        for (const e of events)
            if (e.type === 'answer')
                out[e.params.k] = e.params.v;
        const value = async (e) => {
            if (!e)
                return null;
            if (e.op === 'let' && ir.lets[e.slot].constant)
                return ir.lets[e.slot].constant.value;
            const id = e.op === 'let' ? ir.lets[e.slot].id : e.op === 'fact' ? ir.facts[e.slot].id : null;
            if (!id)
                throw new Error('the lifecycle phase is not a fact or a definition');
            const v = await almanac.factValue(id);
            return v === undefined ? null : v;
        };
        const v = (x) => (x === undefined ? null : x);
        return {
            phase: await value(ir.lifecycle && ir.lifecycle.current),
            labels: await Promise.all(ir.labels.map((li) => value({ op: 'let', slot: li }))),
            reqs: ir.requirements.map((r, n) => [out[`r${n}_s`] || 'U', v(out[`r${n}_f`]), v(out[`r${n}_t`])]),
            procs: ir.procedures.map((p, n) => [out[`p${n}_s`] || 'U', v(out[`p${n}_r`]), v(out[`p${n}_a`])]),
            conclusion: v(out.conclusion),
            warnings: ir.warnings.map((w, n) => out[`w${n}`] === true),
        };
    },
});
