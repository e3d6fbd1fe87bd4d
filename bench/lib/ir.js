// ir.js — what the generator, the translators and the engine drivers share: the rule program as
// bench/export_ir writes it (names, dependency order, constant definitions), facts files turned
// into the typed values every engine starts from, and the one-line canonical form of an
// evaluation's answers that bench/compare.js compares between engines.
'use strict';

const fs = require('fs');

// ---- dates: kader counts days since 1970-01-01 ----

function dayNumber(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m)
        throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(text)}`);
    return Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000);
}

function dayText(days) {
    return new Date(days * 86400000).toISOString().slice(0, 10);
}

// ---- the program ----

// Identifiers that every peer accepts (CLIPS symbols, ZEN and JS names): letters, digits, _.
function identifier(prefix, name, taken) {
    let id = prefix + name.replace(/[^A-Za-z0-9_]/g, '_');
    if (taken.has(id)) {
        let n = 2;
        while (taken.has(`${id}_${n}`))
            n++;
        id = `${id}_${n}`;
    }
    taken.add(id);
    return id;
}

function walk(e, visit) {
    if (!e)
        return;
    visit(e);
    for (const k of e.kids || [])
        walk(k, visit);
}

// The facts and definitions an expression names directly (each once, in order).
function directRefs(e) {
    const facts = [], lets = [];
    let today = false;
    walk(e, (x) => {
        if (x.op === 'fact' && !facts.includes(x.slot))
            facts.push(x.slot);
        else if (x.op === 'let' && !lets.includes(x.slot))
            lets.push(x.slot);
        else if (x.op === 'today')
            today = true;
    });
    return { facts, lets, today };
}

function loadProgram(path) {
    const ir = JSON.parse(fs.readFileSync(path, 'utf8'));
    const taken = new Set(['today']);
    ir.facts.forEach((f, i) => { f.index = i; f.id = identifier('f_', f.name, taken); });
    ir.lets.forEach((l, i) => { l.index = i; l.id = identifier('l_', l.name, taken); });

    // A definition that is a literal, or names one, is a constant (the AI Act's dates): a person
    // writing the rules for another engine would write the date itself.
    const constant = new Map();
    const constOf = (i, seen = new Set()) => {
        if (constant.has(i))
            return constant.get(i);
        if (seen.has(i))
            return undefined;
        seen.add(i);
        const b = ir.lets[i].body;
        let c;
        if (b.op === 'lit')
            c = { value: b.value, type: b.type };
        else if (b.op === 'let')
            c = constOf(b.slot, seen);
        constant.set(i, c);
        return c;
    };
    ir.lets.forEach((l, i) => { l.constant = constOf(i); });

    // Levels: a definition comes after everything it names, so engines that need an order (rule
    // priorities, one pass of expressions) can follow it.
    const level = new Array(ir.lets.length).fill(-1);
    const levelOf = (i, stack = []) => {
        if (level[i] >= 0)
            return level[i];
        if (stack.includes(i))
            throw new Error(`definition cycle through ${ir.lets[i].name}`);
        stack.push(i);
        let lv = 1;
        for (const d of directRefs(ir.lets[i].body).lets)
            lv = Math.max(lv, levelOf(d, stack) + 1);
        stack.pop();
        level[i] = lv;
        return lv;
    };
    ir.lets.forEach((l, i) => { l.level = levelOf(i); l.refs = directRefs(l.body); });
    ir.letOrder = ir.lets.map((l, i) => i).sort((a, b) => level[a] - level[b] || a - b);
    ir.maxLevel = Math.max(1, ...level);

    // Positions of phases as the evaluator has them: lifecycle order, -2 for the phases that hold
    // throughout, -1 for anything else.
    ir.phasePosition = new Map();
    if (ir.lifecycle) {
        ir.lifecycle.phases.forEach((p, i) => ir.phasePosition.set(p, i));
        ir.lifecycle.always.forEach((p) => ir.phasePosition.set(p, -2));
    }
    return ir;
}

// ---- facts: a facts object (as YAML or JSON gives it) into typed values by fact index ----

function lookupPath(obj, path) {
    let v = obj;
    for (const seg of path) {
        if (v === null || typeof v !== 'object' || Array.isArray(v) || !(seg in v))
            return undefined;
        v = v[seg];
    }
    return v;
}

function typedValue(fact, raw) {
    if (raw === undefined || raw === null)
        return null;
    switch (fact.type) {
    case 'date':
        return dayNumber(raw);
    case 'set': {
        const items = Array.isArray(raw) ? raw : [raw];
        return [...new Set(items.map(String))].sort(compareStrings);
    }
    default:
        return raw;
    }
}

// kader sorts sets by strcmp (bytes); JS's default sort compares UTF-16 units, which orders
// the ASCII names of this rule set the same way, but say what is meant.
function compareStrings(a, b) {
    const x = Buffer.from(a), y = Buffer.from(b);
    return Buffer.compare(x, y);
}

// One system: {today, values[]} with defaults applied; the evaluation date is the facts' `datum`.
function systemValues(ir, obj, defaultToday) {
    const values = ir.facts.map((f) => {
        const v = typedValue(f, lookupPath(obj, f.path));
        return v === null && f.default !== null ? f.default : v;
    });
    const today = obj.datum !== undefined ? dayNumber(obj.datum) : defaultToday;
    if (today === undefined)
        throw new Error('a system without datum, and no --date');
    return { today, values };
}

function readJsonLines(path) {
    return fs.readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

// ---- the canonical answer line ----

function formatValue(v, type) {
    if (v === null || v === undefined)
        return '?';
    if (Array.isArray(v))
        return `{${[...v].sort(compareStrings).join(',')}}`;
    if (type === 'date')
        return dayText(v);
    return String(v);
}

function tv(v) {
    return v === true ? 'T' : v === false ? 'F' : '?';
}

// answer = {phase, labels: [value per ir.labels], reqs: [[status, inForce, timing]],
//           procs: [[status, route, again]], conclusion, warnings: [bool per ir.warnings]}
// status: 'A' | 'N' | 'U'; inForce, again: true | false | null; timing: 'now' | 'overdue' |
// 'ahead' | null; route: a route id, null for none, '?' for undetermined; conclusion: an id,
// null for none, '?' for undetermined. A string label is written as a set of one, as the JSON
// report does.
function canonical(ir, a) {
    const parts = [`phase=${formatValue(a.phase)}`];
    ir.labels.forEach((li, k) => {
        const v = a.labels[k];
        parts.push(`label:${ir.lets[li].name}=${formatValue(typeof v === 'string' ? [v] : v)}`);
    });
    ir.requirements.forEach((r, k) => {
        const [s, f, t] = a.reqs[k];
        parts.push(`req:${r.id}=${s}/${tv(f)}/${t || '-'}`);
    });
    ir.procedures.forEach((p, k) => {
        const [s, route, again] = a.procs[k];
        parts.push(`proc:${p.id}=${s}/${route === null ? '-' : route}/${tv(again)}`);
    });
    if (ir.conclusions.length)
        parts.push(`conclusion=${a.conclusion === null ? '-' : a.conclusion}`);
    parts.push(`warnings=${ir.warnings.filter((w, k) => a.warnings[k]).map((w) => w.id).join(',')}`);
    return parts.join('\t');
}

// kader's JSON report (one per line of `kader eval --format json`) in the same form.
function canonicalFromReport(ir, rep) {
    if (rep.error)
        throw new Error(`${rep.source}: ${rep.error.message}`);
    const reqById = new Map(rep.requirements.map((r) => [r.id, r]));
    const procById = new Map(rep.procedures.map((p) => [p.id, p]));
    const status = { applies: 'A', 'not-applicable': 'N', undetermined: 'U', required: 'A', 'not-required': 'N' };
    const fired = new Set(rep.warnings.map((w) => w.id));
    const need = (m, id) => {
        if (!m.has(id))
            throw new Error(`${rep.source}: the report has no ${id}`);
        return m.get(id);
    };
    return canonical(ir, {
        phase: rep.phase,
        labels: ir.labels.map((li) => rep.labels[ir.lets[li].name]),
        reqs: ir.requirements.map((r) => {
            const x = need(reqById, r.id);
            return [status[x.status], x.in_force, x.timing];
        }),
        procs: ir.procedures.map((p) => {
            const x = need(procById, p.id);
            const route = x.route_status === 'chosen' ? x.route : x.route_status === 'undetermined' ? '?' : null;
            return [status[x.status], route, x.again];
        }),
        conclusion: rep.conclusion ? rep.conclusion.id : rep.conclusion_status === 'undetermined' ? '?' : null,
        warnings: ir.warnings.map((w) => fired.has(w.id)),
    });
}

module.exports = {
    dayNumber, dayText, loadProgram, walk, systemValues, readJsonLines, canonical, canonicalFromReport,
};
