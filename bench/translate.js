#!/usr/bin/env node
// translate.js — generates the same decision logic for the peer engines from the kader program
// that bench/export_ir wrote: a CLIPS rule file, json-rules-engine rules and a ZEN decision model.
//
// usage: translate.js --program IR.json --out DIR
// writes DIR/kader.clp, DIR/jsre-rules.json and DIR/zen-decision.json
'use strict';

const fs = require('fs');
const path = require('path');
const { loadProgram } = require('./lib/ir');
const { toZen } = require('./lib/to-zen');
const { toClips } = require('./lib/to-clips');
const { toJsre } = require('./lib/to-jsre');

function main() {
    const args = process.argv.slice(2);
    const o = {};
    for (let i = 0; i < args.length; i += 2) {
        if (args[i] === '--program') o.program = args[i + 1];
        else if (args[i] === '--out') o.out = args[i + 1];
        else throw new Error(`unknown argument ${args[i]}`);
    }
    if (!o.program || !o.out)
        throw new Error('usage: translate.js --program IR.json --out DIR');
    const ir = loadProgram(o.program);
    fs.mkdirSync(o.out, { recursive: true });
    const zen = toZen(ir);
    fs.writeFileSync(path.join(o.out, 'zen-decision.json'), JSON.stringify(zen, null, 1) + '\n');
    const clips = toClips(ir);
    fs.writeFileSync(path.join(o.out, 'kader.clp'), clips.text);
    const jsre = toJsre(ir);
    fs.writeFileSync(path.join(o.out, 'jsre-rules.json'), JSON.stringify(jsre, null, 1) + '\n');
    const stats = {
        zen: { expressions: zen.nodes[1].content.expressions.length },
        clips: { rules: clips.rules, functions: clips.functions },
        'json-rules-engine': { rules: jsre.rules.length },
    };
    fs.writeFileSync(path.join(o.out, 'translation.json'), JSON.stringify(stats) + '\n');
    process.stderr.write(`translate: ZEN ${stats.zen.expressions} expressions, CLIPS ${stats.clips.rules} rules, json-rules-engine ${stats['json-rules-engine'].rules} rules\n`);
}

try {
    main();
} catch (e) {
    process.stderr.write(`translate: ${e.message}\n`);
    process.exit(2);
}
