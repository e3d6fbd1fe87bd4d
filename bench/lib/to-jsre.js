// to-jsre.js — the kader program as json-rules-engine rules.
//
// json-rules-engine decides conditions (all / any / not over fact-operator-value tests); it has no
// expressions that compute values. So every definition becomes rules that run before the rules
// that read it (by priority) and, when their conditions hold, set the definition as a runtime
// fact (the documented way to chain rules: almanac.addRuntimeFact in an event handler). A value
// is copied, or set from the rule, never computed in JavaScript, except for set literals with
// variable members and the functions count, union, min and max, which the rules cannot write.
//
// Three-valued logic: each condition is written twice, as "is true" and "is false" (the
// dual-rail encoding): a and b is true when both are true and false when either is false; a test
// such as x == "A" is true when x is known and equal, false when x is known and different. A
// definition whose rails both fail is simply not set, which is how unknown looks to the rules
// that read it. A requirement whose "applies" and "not applicable" rules both fail is undetermined.
// The custom operators below make every test fail on an unknown operand.
'use strict';

const TRUE = { k: 'true' }, FALSE = { k: 'false' };

function and(...list) {
    const out = [];
    for (const c of list.flat()) {
        if (c.k === 'false')
            return FALSE;
        if (c.k === 'true')
            continue;
        if (c.k === 'all')
            out.push(...c.c);
        else
            out.push(c);
    }
    return out.length === 0 ? TRUE : out.length === 1 ? out[0] : { k: 'all', c: out };
}

function or(...list) {
    const out = [];
    for (const c of list.flat()) {
        if (c.k === 'true')
            return TRUE;
        if (c.k === 'false')
            continue;
        if (c.k === 'any')
            out.push(...c.c);
        else
            out.push(c);
    }
    return out.length === 0 ? FALSE : out.length === 1 ? out[0] : { k: 'any', c: out };
}

function not(c) {
    if (c.k === 'true')
        return FALSE;
    if (c.k === 'false')
        return TRUE;
    if (c.k === 'not')
        return c.c;
    return { k: 'not', c };
}

function atom(fact, operator, value) {
    return { k: 'atom', fact, operator, value };
}

// Operators for a fact on the left and the other operand (a constant or {fact}) on the right;
// `flip` is the same test with the operands swapped, `negate` the test for "is false".
const FLIP = {
    kEq: 'kEq', kNe: 'kNe', kLt: 'kGt', kLe: 'kGe', kGt: 'kLt', kGe: 'kLe',
    kIn: 'kHas', kNotIn: 'kLacks', kHas: 'kIn', kLacks: 'kNotIn',
    kSub: 'kSuper', kNotSub: 'kNotSuper', kSuper: 'kSub', kNotSuper: 'kNotSub', kMeets: 'kMeets', kMisses: 'kMisses',
};

const known = (x) => x !== undefined && x !== null;
const sameValue = (a, b) => (Array.isArray(a)
    ? Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x)) : a === b);

// Each is false when an operand is unknown, so "is true" and "is false" both fail then.
const OPERATORS = {
    kEq: (a, b) => known(a) && known(b) && sameValue(a, b),
    kNe: (a, b) => known(a) && known(b) && !sameValue(a, b),
    kLt: (a, b) => known(a) && known(b) && a < b,
    kLe: (a, b) => known(a) && known(b) && a <= b,
    kGt: (a, b) => known(a) && known(b) && a > b,
    kGe: (a, b) => known(a) && known(b) && a >= b,
    kIn: (x, s) => known(x) && known(s) && s.includes(x),
    kNotIn: (x, s) => known(x) && known(s) && !s.includes(x),
    kHas: (s, x) => known(x) && known(s) && s.includes(x),
    kLacks: (s, x) => known(x) && known(s) && !s.includes(x),
    kSub: (x, s) => known(x) && known(s) && x.every((i) => s.includes(i)),
    kNotSub: (x, s) => known(x) && known(s) && !x.every((i) => s.includes(i)),
    kSuper: (s, x) => known(x) && known(s) && x.every((i) => s.includes(i)),
    kNotSuper: (s, x) => known(x) && known(s) && !x.every((i) => s.includes(i)),
    kMeets: (a, b) => known(a) && known(b) && a.some((i) => b.includes(i)),
    kMisses: (a, b) => known(a) && known(b) && !a.some((i) => b.includes(i)),
    kRange: (x, r) => known(x) && r[0] <= x && x <= r[1],
    kOutRange: (x, r) => known(x) && (x < r[0] || x > r[1]),
    kKnown: (x) => known(x),
    kUnknown: (x) => !known(x),
};

// Values the event handler computes because conditions cannot (see the header).
function compute(fn, args) {
    if (!args.every(known))
        return undefined;
    switch (fn) {
    case 'set':
        return [...new Set(args)].sort();
    case 'count':
        return args[0].length;
    case 'union':
        return [...new Set(args.flat())].sort();
    case 'min':
        return args.reduce((a, b) => (b < a ? b : a));
    case 'max':
        return args.reduce((a, b) => (b > a ? b : a));
    default:
        throw new Error(`json-rules-engine rules: unknown function ${fn}`);
    }
}

function constTest(op, a, b) {
    return OPERATORS[op](a, b);
}

class JsreProgram {
    constructor(ir) {
        this.ir = ir;
        this.rules = [];
        this.synthetic = 0;
    }

    // An operand: {fact: name} or {value: constant} or {unknown: true}.
    operand(e) {
        const ir = this.ir;
        switch (e.op) {
        case 'lit':
            return e.value === null ? { unknown: true } : { value: e.value };
        case 'fact':
            return { fact: ir.facts[e.slot].id };
        case 'let': {
            const l = ir.lets[e.slot];
            if (l.constant)
                return l.constant.value === null ? { unknown: true } : { value: l.constant.value };
            return { fact: l.id };
        }
        case 'today':
            return { fact: 'today' };
        default: {
            // Anything else is first given a name of its own, set by its own rules.
            const id = `s_${++this.synthetic}`;
            this.defineValue(id, e);
            return { fact: id };
        }
        }
    }

    // The rails of a test between two operands.
    test(op, negation, a, b) {
        if (a.unknown || b.unknown)
            return [FALSE, FALSE];
        if ('value' in a && 'value' in b)
            return [constTest(op, a.value, b.value) ? TRUE : FALSE, constTest(negation, a.value, b.value) ? TRUE : FALSE];
        if ('value' in a)
            return [atom(b.fact, FLIP[op], a.value), atom(b.fact, FLIP[negation], a.value)];
        const v = 'value' in b ? b.value : { fact: b.fact };
        return [atom(a.fact, op, v), atom(a.fact, negation, v)];
    }

    // [is true, is false] of a boolean expression.
    rails(e) {
        const ir = this.ir;
        const k = e.kids || [];
        switch (e.op) {
        case 'lit':
            return e.value === true ? [TRUE, FALSE] : e.value === false ? [FALSE, TRUE] : [FALSE, FALSE];
        case 'fact':
        case 'let':
        case 'today': {
            const o = this.operand(e);
            if (o.unknown)
                return [FALSE, FALSE];
            if ('value' in o)
                return o.value === true ? [TRUE, FALSE] : [FALSE, TRUE];
            if (e.type !== 'bool') // an open type used as a condition: true or false when it is one
                return [atom(o.fact, 'kEq', true), atom(o.fact, 'kEq', false)];
            return [atom(o.fact, 'equal', true), atom(o.fact, 'equal', false)];
        }
        case 'and': {
            const [a, b] = [this.rails(k[0]), this.rails(k[1])];
            return [and(a[0], b[0]), or(a[1], b[1])];
        }
        case 'or': {
            const [a, b] = [this.rails(k[0]), this.rails(k[1])];
            return [or(a[0], b[0]), and(a[1], b[1])];
        }
        case 'not': {
            const a = this.rails(k[0]);
            return [a[1], a[0]];
        }
        case 'eq':
        case 'ne': {
            let r;
            if (k[0].type === 'bool' || k[1].type === 'bool') {
                const [x, y] = [this.rails(k[0]), this.rails(k[1])];
                r = [or(and(x[0], y[0]), and(x[1], y[1])), or(and(x[0], y[1]), and(x[1], y[0]))];
            } else {
                r = this.test('kEq', 'kNe', this.operand(k[0]), this.operand(k[1]));
            }
            return e.op === 'eq' ? r : [r[1], r[0]];
        }
        case 'lt': return this.test('kLt', 'kGe', this.operand(k[0]), this.operand(k[1]));
        case 'le': return this.test('kLe', 'kGt', this.operand(k[0]), this.operand(k[1]));
        case 'gt': return this.test('kGt', 'kLe', this.operand(k[0]), this.operand(k[1]));
        case 'ge': return this.test('kGe', 'kLt', this.operand(k[0]), this.operand(k[1]));
        case 'in':
        case 'notin': {
            const r = k[0].type === 'set'
                ? this.test('kSub', 'kNotSub', this.operand(k[0]), this.operand(k[1]))
                : this.test('kIn', 'kNotIn', this.operand(k[0]), this.operand(k[1]));
            return e.op === 'in' ? r : [r[1], r[0]];
        }
        case 'intersects':
            return this.test('kMeets', 'kMisses', this.operand(k[0]), this.operand(k[1]));
        case 'range': {
            const [x, lo, hi] = k.map((kid) => this.operand(kid));
            if ('value' in lo && 'value' in hi && 'fact' in x)
                return [atom(x.fact, 'kRange', [lo.value, hi.value]), atom(x.fact, 'kOutRange', [lo.value, hi.value])];
            // lo <= x and x <= hi, false when all three are known and one of the two fails.
            const low = this.rails({ op: 'le', type: 'bool', kids: [k[1], k[0]] });
            const high = this.rails({ op: 'le', type: 'bool', kids: [k[0], k[2]] });
            const knownLo = this.rails({ op: 'known', type: 'bool', kids: [k[1]] })[0];
            const knownHi = this.rails({ op: 'known', type: 'bool', kids: [k[2]] })[0];
            return [and(low[0], high[0]), or(and(low[1], knownHi), and(high[1], knownLo))];
        }
        case 'known':
        case 'unknown': {
            let r;
            if (k[0].type === 'bool') {
                const a = this.rails(k[0]);
                r = [or(a[0], a[1]), and(not(a[0]), not(a[1]))];
            } else {
                const o = this.operand(k[0]);
                r = o.unknown ? [FALSE, TRUE] : 'value' in o ? [TRUE, FALSE]
                    : [atom(o.fact, 'kKnown', null), atom(o.fact, 'kUnknown', null)];
            }
            return e.op === 'known' ? r : [r[1], r[0]];
        }
        case 'first': {
            const t = [], f = [];
            for (const [guard, v] of this.branches(e, TRUE)) {
                const r = this.rails(v);
                t.push(and(guard, r[0]));
                f.push(and(guard, r[1]));
            }
            return [or(t), or(f)];
        }
        default:
            throw new Error(`json-rules-engine rules: ${e.op} is not a condition`);
        }
    }

    // The rails of a condition that several rules test: anything but a plain name is first set as
    // a runtime fact of its own (true or false, or not set when unknown), so that each rule tests
    // one fact instead of carrying the whole condition (json-rules-engine copies every rule's
    // conditions on every run, so their size is what costs).
    shared(e) {
        if (['lit', 'fact', 'let'].includes(e.op))
            return this.rails(e);
        const o = this.operand(e);
        return [atom(o.fact, 'equal', true), atom(o.fact, 'equal', false)];
    }

    // "Every condition so far was false", for long tables and chains: every few conditions it is
    // set as a runtime fact (only when it holds), so that the guards do not grow with the table.
    prefix(before, i) {
        if (i % 4 !== 3 || before.k === 'true' || before.k === 'false')
            return before;
        const id = `s_${++this.synthetic}`;
        this.rule(`${id}=true`, before, { type: 'let', params: { name: id, value: true } }, id);
        return atom(id, 'equal', true);
    }

    // The branches of a first-match table as [guard, value]: the guard says that this branch is
    // the one taken (its condition true, all before it false). Nested tables are flattened.
    branches(e, guard) {
        const k = e.kids;
        const pairs = e.otherwise ? (k.length - 1) / 2 : k.length / 2;
        const out = [];
        let before = TRUE;
        for (let i = 0; i < pairs; i++) {
            const [t, f] = this.shared(k[2 * i]);
            const g = and(guard, before, t);
            if (g.k !== 'false') {
                if (k[2 * i + 1].op === 'first' && k[2 * i + 1].type !== 'bool')
                    out.push(...this.branches(k[2 * i + 1], g));
                else
                    out.push([g, k[2 * i + 1]]);
            }
            before = this.prefix(and(before, f), i);
            if (before.k === 'false')
                break;
        }
        if (e.otherwise && before.k !== 'false') {
            const v = k[k.length - 1];
            const g = and(guard, before);
            if (v.op === 'first' && v.type !== 'bool')
                out.push(...this.branches(v, g));
            else
                out.push([g, v]);
        }
        return out;
    }

    rule(name, conditions, event, writes) {
        if (conditions.k === 'false')
            return;
        this.rules.push({ name, conditions, event, writes });
    }

    // Rules that set the runtime fact `id` to the value of e, when it is known.
    defineValue(id, e) {
        if (e.type === 'bool') {
            const [t, f] = this.rails(e);
            this.rule(`${id}=true`, t, { type: 'let', params: { name: id, value: true } }, id);
            this.rule(`${id}=false`, f, { type: 'let', params: { name: id, value: false } }, id);
            return;
        }
        const list = e.op === 'first' ? this.branches(e, TRUE) : [[TRUE, e]];
        list.forEach(([guard, v], n) => {
            const name = `${id}#${n + 1}`;
            if (v.type === 'bool' && e.type !== 'bool' && v.op !== 'lit') {
                const [t, f] = this.rails(v);
                this.rule(`${name}=true`, and(guard, t), { type: 'let', params: { name: id, value: true } }, id);
                this.rule(`${name}=false`, and(guard, f), { type: 'let', params: { name: id, value: false } }, id);
                return;
            }
            if (v.op === 'set' || v.op === 'call') {
                const args = v.kids.map((kid) => this.operand(kid));
                if (args.some((a) => a.unknown))
                    return;
                this.rule(name, guard, {
                    type: 'let',
                    params: { name: id, compute: v.op === 'set' ? 'set' : v.fn, args: args.map((a) => ('fact' in a ? { fact: a.fact } : { value: a.value })) },
                }, id);
                return;
            }
            const o = this.operand(v);
            if (o.unknown)
                return;
            this.rule(name, guard, { type: 'let', params: 'value' in o ? { name: id, value: o.value } : { name: id, copy: o.fact } }, id);
        });
    }

    answer(name, conditions, key, value) {
        this.rule(name, conditions, { type: 'answer', params: { k: key, v: value } }, null);
    }

    build() {
        const ir = this.ir;
        for (const i of ir.letOrder) {
            const l = ir.lets[i];
            if (!l.constant)
                this.defineValue(l.id, l.body);
        }
        const phase = ir.lifecycle && ir.lifecycle.current ? this.operand(ir.lifecycle.current) : { unknown: true };
        const allPhases = [...ir.phasePosition.keys()];

        ir.requirements.forEach((r, n) => {
            const [t, f] = r.applies ? this.shared(r.applies) : [TRUE, FALSE];
            this.answer(`r${n} applies`, t, `r${n}_s`, 'A');
            this.answer(`r${n} not applicable`, f, `r${n}_s`, 'N');
            const started = r.from ? this.test('kLe', 'kGt', this.operand(r.from), { fact: 'today' }) : [TRUE, FALSE];
            const notEnded = r.until ? this.test('kLt', 'kGe', { fact: 'today' }, this.operand(r.until)) : [TRUE, FALSE];
            this.answer(`r${n} in force`, and(started[0], notEnded[0]), `r${n}_f`, true);
            this.answer(`r${n} not in force`, or(started[1], notEnded[1]), `r${n}_f`, false);
            if (!r.phase_positions.length || !ir.lifecycle)
                return;
            const notNA = not(f);
            const inPhases = (names) => (names.length ? this.test('kIn', 'kNotIn', phase, { value: names })[0] : FALSE);
            if (r.phase_positions.includes(-2)) {
                this.answer(`r${n} now`, and(notNA, inPhases(allPhases)), `r${n}_t`, 'now');
                return;
            }
            const positions = r.phase_positions.filter((p) => p >= 0);
            const min = positions.length ? Math.min(...positions) : Infinity;
            const named = ir.lifecycle.phases.map((name, pos) => ({ name, pos }));
            const now = named.filter((p) => positions.includes(p.pos)).map((p) => p.name);
            const overdue = named.filter((p) => !positions.includes(p.pos) && p.pos > min).map((p) => p.name);
            const ahead = named.filter((p) => !positions.includes(p.pos) && !(p.pos > min)).map((p) => p.name);
            this.answer(`r${n} now`, and(notNA, inPhases(now)), `r${n}_t`, 'now');
            this.answer(`r${n} overdue`, and(notNA, inPhases(overdue)), `r${n}_t`, 'overdue');
            this.answer(`r${n} ahead`, and(notNA, inPhases(ahead)), `r${n}_t`, 'ahead');
        });

        ir.procedures.forEach((p, n) => {
            const [t, f] = p.required ? this.shared(p.required) : [TRUE, FALSE];
            this.answer(`p${n} required`, t, `p${n}_s`, 'A');
            this.answer(`p${n} not required`, f, `p${n}_s`, 'N');
            this.chain(`p${n} route`, `p${n}_r`, p.routes, not(f));
            const [at, af] = p.again ? this.rails(p.again) : [FALSE, TRUE];
            this.answer(`p${n} again`, at, `p${n}_a`, true);
            this.answer(`p${n} not again`, af, `p${n}_a`, false);
        });
        if (ir.conclusions.length)
            this.chain('conclusion', 'conclusion', ir.conclusions, TRUE);
        ir.warnings.forEach((w, n) => this.answer(`w${n}`, this.rails(w.when)[0], `w${n}`, true));
        return this.finish();
    }

    // The first item whose condition is true gives its id; an unknown condition before it gives
    // '?'; none true gives nothing.
    chain(name, key, items, when) {
        let before = TRUE;
        items.forEach((it, i) => {
            const [t, f] = it.when ? this.shared(it.when) : [TRUE, FALSE];
            this.answer(`${name} ${it.id}`, and(when, before, t), key, it.id);
            this.answer(`${name} ${it.id} undecided`, and(when, before, not(t), not(f)), key, '?');
            before = this.prefix(and(before, f), i);
        });
    }

    // Priorities: a rule runs after every rule that sets a fact it reads.
    finish() {
        const writers = new Map();
        for (const r of this.rules) {
            r.reads = new Set();
            collectReads(r.conditions, r.reads);
            const p = r.event.params;
            if (p.copy)
                r.reads.add(p.copy);
            for (const a of p.args || [])
                if (a.fact)
                    r.reads.add(a.fact);
            if (r.writes) {
                if (!writers.has(r.writes))
                    writers.set(r.writes, []);
                writers.get(r.writes).push(r);
            }
        }
        const level = new Map();
        const levelOf = (fact, stack = new Set()) => {
            if (!writers.has(fact))
                return 0;
            if (level.has(fact))
                return level.get(fact);
            if (stack.has(fact))
                throw new Error(`json-rules-engine rules: ${fact} depends on itself`);
            stack.add(fact);
            let lv = 1;
            for (const r of writers.get(fact))
                for (const x of r.reads)
                    lv = Math.max(lv, levelOf(x, stack) + 1);
            stack.delete(fact);
            level.set(fact, lv);
            return lv;
        };
        let top = 0;
        for (const fact of writers.keys())
            top = Math.max(top, levelOf(fact));
        const rules = this.rules.map((r) => ({
            name: r.name,
            priority: r.writes ? top + 2 - level.get(r.writes) : 1,
            conditions: toJson(r.conditions, true),
            event: r.event,
        }));
        return { rules };
    }
}

function collectReads(c, out) {
    if (c.k === 'atom') {
        out.add(c.fact);
        if (c.value && typeof c.value === 'object' && !Array.isArray(c.value) && c.value.fact)
            out.add(c.value.fact);
    } else if (c.k === 'all' || c.k === 'any') {
        c.c.forEach((x) => collectReads(x, out));
    } else if (c.k === 'not') {
        collectReads(c.c, out);
    }
}

// The json-rules-engine form; the top level must be all, any or not.
function toJson(c, top) {
    switch (c.k) {
    case 'true': return { all: [] };
    case 'false': return { any: [] };
    case 'all': return { all: c.c.map((x) => toJson(x, false)) };
    case 'any': return { any: c.c.map((x) => toJson(x, false)) };
    case 'not': return { not: toJson(c.c, false) };
    case 'atom': {
        const a = { fact: c.fact, operator: c.operator, value: c.value };
        return top ? { all: [a] } : a;
    }
    default: throw new Error(`bad condition ${c.k}`);
    }
}

function toJsre(ir) {
    return new JsreProgram(ir).build();
}

module.exports = { toJsre, OPERATORS, compute };
