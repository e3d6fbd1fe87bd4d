// to-zen.js — the kader program as a GoRules JSON Decision Model for the ZEN engine: one
// expression node that computes every definition in dependency order (each later expression
// reads the earlier ones through `$`), then the answers, and a second expression node that
// passes on only the answers.
//
// Three-valued logic. ZEN's `and`, `or`, `not`, `in` and comparisons fail on null, so the model
// uses the textbook encoding of Kleene logic in numbers: true 1, false 0, unknown 0.5, with `and`
// as min, `or` as max and `not` as 1 - x. Truth values are numbers throughout (boolean facts
// arrive as 1, 0 or 0.5); every other value is null when unknown, and an operator that reads one
// asks for null first. An operand that such a question reads twice is first given its own
// expression (t1, t2, ...), so that nothing is evaluated twice. This is the smallest model we
// found that gives kader's answers, also on incomplete facts.
//
// Input (see zenInput): the facts as top-level fields named like the fact ids of lib/ir.js, dates
// as day numbers, sets as arrays, and `today`.
'use strict';

const U = '0.5';

function str(s) {
    if (!s.includes('"'))
        return `"${s}"`;
    if (!s.includes("'"))
        return `'${s}'`;
    throw new Error(`to-zen: a string with both kinds of quote cannot be written: ${s}`);
}

function literal(value, type) {
    if (value === null)
        return type === 'bool' ? U : 'null';
    if (type === 'bool')
        return value ? '1' : '0';
    if (Array.isArray(value))
        return `[${value.map(str).join(', ')}]`;
    if (typeof value === 'string')
        return str(value);
    return String(value);
}

const ATOM = /^(null|-?[0-9.]+|"[^"]*"|'[^']*'|\$\.[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*)$/;
const CONSTANT = /^(-?[0-9.]+|"[^"]*"|'[^']*'|\[.*\])$/;

class ZenProgram {
    constructor(ir) {
        this.ir = ir;
        this.expressions = [];
        this.temps = 0;
    }

    emit(key, value) {
        this.expressions.push({ id: `x${this.expressions.length}`, key, value });
    }

    // An operand that may be written more than once: a literal or a plain name as it is,
    // anything else as its own expression first.
    ref(text) {
        if (ATOM.test(text))
            return text;
        const key = `t${++this.temps}`;
        this.emit(key, text);
        return `$.${key}`;
    }

    // e as a truth value (1, 0, 0.5), also when its type is open (`unknown`, an undefined
    // extension point of the stdlib).
    truth(e) {
        const t = this.expr(e);
        if (e.type === 'bool')
            return t;
        if (t === 'null')
            return U;
        const r = this.ref(t);
        return `(${r} == null ? ${U} : (${r} == true ? 1 : 0))`;
    }

    // (cond) as a truth value when the operands are known, 0.5 when one of them is null.
    guarded(ops, cond) {
        if (ops.includes('null'))
            return U;
        const open = ops.filter((o) => !CONSTANT.test(o));
        const body = `(${cond} ? 1 : 0)`;
        return open.length ? `((${open.map((o) => `${o} == null`).join(' or ')}) ? ${U} : ${body})` : body;
    }

    expr(e) {
        const ir = this.ir;
        const k = e.kids || [];
        const R = (i) => this.ref(this.expr(k[i]));
        const T = (i) => this.truth(k[i]);
        switch (e.op) {
        case 'lit':
            return literal(e.value, e.type);
        case 'fact':
            return ir.facts[e.slot].id;
        case 'let': {
            const l = ir.lets[e.slot];
            return l.constant ? literal(l.constant.value, l.type) : `$.${l.id}`;
        }
        case 'today':
            return 'today';
        case 'and':
            return `min([${T(0)}, ${T(1)}])`;
        case 'or':
            return `max([${T(0)}, ${T(1)}])`;
        case 'not':
            return `(1 - ${T(0)})`;
        case 'eq':
        case 'ne': {
            const bool = k[0].type === 'bool' || k[1].type === 'bool';
            if (bool) {
                const a = this.ref(T(0)), b = this.ref(T(1));
                const [yes, no] = e.op === 'eq' ? [1, 0] : [0, 1];
                return `((${a} == ${U} or ${b} == ${U}) ? ${U} : (${a} == ${b} ? ${yes} : ${no}))`;
            }
            const a = R(0), b = R(1);
            const same = k[0].type === 'set' || k[1].type === 'set'
                ? `(len(${a}) == len(${b}) and all(${a}, # in ${b}))` : `${a} == ${b}`;
            return this.guarded([a, b], e.op === 'eq' ? same : `not (${same})`);
        }
        case 'lt': case 'le': case 'gt': case 'ge': {
            const a = R(0), b = R(1);
            return this.guarded([a, b], `${a} ${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[e.op]} ${b}`);
        }
        case 'in':
        case 'notin': {
            const x = R(0), s = R(1);
            const member = k[0].type === 'set' ? `all(${x}, # in ${s})` : `${x} in ${s}`;
            return this.guarded([x, s], e.op === 'in' ? member : `not (${member})`);
        }
        case 'range': {
            const x = R(0), lo = R(1), hi = R(2);
            return this.guarded([x, lo, hi], `${x} >= ${lo} and ${x} <= ${hi}`);
        }
        case 'intersects': {
            const a = R(0), b = R(1);
            return this.guarded([a, b], `some(${a}, # in ${b})`);
        }
        case 'known':
        case 'unknown': {
            const [yes, no] = e.op === 'known' ? [1, 0] : [0, 1];
            if (k[0].type === 'bool')
                return `(${this.ref(T(0))} != ${U} ? ${yes} : ${no})`;
            const a = R(0);
            return a === 'null' ? String(no) : CONSTANT.test(a) ? String(yes) : `(${a} != null ? ${yes} : ${no})`;
        }
        case 'set': {
            // Each step reads the set so far twice, so it is an expression of its own.
            const items = k.map((_, i) => R(i));
            if (!items.length)
                return '[]';
            if (items.includes('null'))
                return 'null';
            let acc = this.ref(this.nullGuard([items[0]], `[${items[0]}]`));
            for (const it of items.slice(1))
                acc = this.ref(this.nullGuard([acc, it], `flatten([${acc}, filter([${it}], not (# in ${acc}))])`));
            return acc;
        }
        case 'first':
            return this.first(k, e.otherwise, e.type);
        case 'call': {
            const args = k.map((_, i) => R(i));
            if (e.fn === 'count')
                return this.nullGuard(args, `len(${args[0]})`);
            if (e.fn === 'min' || e.fn === 'max')
                return this.nullGuard(args, `${e.fn}([${args.join(', ')}])`);
            if (e.fn === 'union') {
                if (args.includes('null'))
                    return 'null';
                let acc = args[0];
                for (const a of args.slice(1))
                    acc = this.ref(this.nullGuard([acc, a], `flatten([${acc}, filter(${a}, not (# in ${acc}))])`));
                return acc;
            }
            throw new Error(`to-zen: unknown function ${e.fn}`);
        }
        default:
            throw new Error(`to-zen: cannot translate ${e.op}`);
        }
    }

    // A value that is null when one of its operands is.
    nullGuard(ops, body) {
        if (ops.includes('null'))
            return 'null';
        const open = ops.filter((o) => !CONSTANT.test(o));
        return open.length ? `((${open.map((o) => `${o} == null`).join(' or ')}) ? null : ${body})` : body;
    }

    // A first-match table: the first true condition gives its value; an unknown one before it
    // makes the whole table unknown.
    first(kids, hasOtherwise, type) {
        const unknown = type === 'bool' ? U : 'null';
        const value = (e) => (type === 'bool' ? this.truth(e) : this.expr(e));
        const pairs = hasOtherwise ? (kids.length - 1) / 2 : kids.length / 2;
        const conds = [];
        for (let i = 0; i < pairs; i++)
            conds.push(this.ref(this.truth(kids[2 * i])));
        const values = [];
        for (let i = 0; i < pairs; i++)
            values.push(value(kids[2 * i + 1]));
        let tail = hasOtherwise ? value(kids[kids.length - 1]) : unknown;
        for (let i = pairs - 1; i >= 0; i--) {
            // A long table as one expression nests too deep; every few branches start a new one.
            if (i % 4 === 3)
                tail = this.ref(tail);
            tail = `(${conds[i]} == 1 ? ${values[i]} : (${conds[i]} == 0 ? ${tail} : ${unknown}))`;
        }
        return tail;
    }

    // The id of the first item whose condition is true, '?' when an unknown one comes before
    // it, `none` when all are false (routes, the conclusion).
    chain(items, none) {
        const conds = items.map((it) => (it.when ? this.ref(this.truth(it.when)) : '1'));
        let tail = none;
        for (let i = items.length - 1; i >= 0; i--) {
            if (i % 4 === 3)
                tail = this.ref(tail);
            tail = `(${conds[i]} == 1 ? ${str(items[i].id)} : (${conds[i]} == 0 ? ${tail} : "?"))`;
        }
        return tail;
    }

    status(when) {
        if (!when)
            return '"A"';
        const a = this.ref(this.truth(when));
        return `(${a} == 1 ? "A" : (${a} == 0 ? "N" : "U"))`;
    }

    // A truth value as the answer gives it: true, false or null (left out of the output).
    boolean(t) {
        const a = this.ref(t);
        return `(${a} == 1 ? true : (${a} == 0 ? false : null))`;
    }

    build() {
        const ir = this.ir;
        for (const i of ir.letOrder) {
            const l = ir.lets[i];
            if (!l.constant)
                this.emit(l.id, l.type === 'bool' ? this.truth(l.body) : this.expr(l.body));
        }
        // The current phase and its position in the lifecycle (-1: unknown or not a phase).
        let phase = 'null';
        if (ir.lifecycle && ir.lifecycle.current) {
            phase = this.ref(this.expr(ir.lifecycle.current));
            let pos = '-1';
            for (const [name, p] of [...ir.phasePosition.entries()].reverse())
                pos = `(${phase} == ${str(name)} ? ${p} : ${pos})`;
            this.emit('phase_pos', pos);
        }
        const answers = [];
        const answer = (key, value) => { this.emit(key, value); answers.push(key); };
        answer('phase', phase);
        ir.labels.forEach((li, n) => answer(`label${n}`, this.expr({ op: 'let', slot: li, type: ir.lets[li].type })));
        ir.requirements.forEach((r, n) => {
            answer(`r${n}_s`, this.status(r.applies));
            const bound = (x, cmp) => {
                if (!x)
                    return '1';
                const d = this.ref(this.expr(x));
                return this.guarded([d], cmp(d));
            };
            const started = bound(r.from, (d) => `${d} <= today`);
            const notEnded = bound(r.until, (d) => `today < ${d}`);
            answer(`r${n}_f`, this.boolean(`min([${started}, ${notEnded}])`));
            const positions = r.phase_positions.filter((p) => p >= 0);
            let t;
            if (r.phase_positions.length === 0 || !ir.lifecycle)
                t = null;
            else if (r.phase_positions.includes(-2))
                t = '"now"';
            else {
                const min = positions.length ? Math.min(...positions) : null;
                const later = min === null ? '"ahead"' : `($.phase_pos > ${min} ? "overdue" : "ahead")`;
                t = `($.phase_pos in [${positions.join(', ')}] ? "now" : ($.phase_pos == -2 ? null : ${later}))`;
            }
            answer(`r${n}_t`, t === null ? 'null' : `(($.r${n}_s == "N" or $.phase_pos == -1) ? null : ${t})`);
        });
        ir.procedures.forEach((p, n) => {
            answer(`p${n}_s`, this.status(p.required));
            answer(`p${n}_r`, `($.p${n}_s == "N" ? null : ${this.chain(p.routes, 'null')})`);
            answer(`p${n}_a`, p.again ? this.boolean(this.truth(p.again)) : 'false');
        });
        if (ir.conclusions.length)
            answer('conclusion', this.chain(ir.conclusions, 'null'));
        ir.warnings.forEach((w, n) => answer(`w${n}`, `(${this.ref(this.truth(w.when))} == 1)`));

        const node = (id, expressions) => ({
            id, type: 'expressionNode', name: id, position: { x: 0, y: 0 }, content: { expressions },
        });
        return {
            contentType: 'application/vnd.gorules.decision',
            nodes: [
                { id: 'request', type: 'inputNode', name: 'request', position: { x: 0, y: 0 } },
                node('kader', this.expressions),
                node('answers', answers.map((key, n) => ({ id: `a${n}`, key, value: key }))),
                { id: 'response', type: 'outputNode', name: 'response', position: { x: 0, y: 0 } },
            ],
            edges: [
                { id: 'e1', sourceId: 'request', targetId: 'kader', type: 'edge' },
                { id: 'e2', sourceId: 'kader', targetId: 'answers', type: 'edge' },
                { id: 'e3', sourceId: 'answers', targetId: 'response', type: 'edge' },
            ],
        };
    }
}

function toZen(ir) {
    return new ZenProgram(ir).build();
}

// A system (lib/ir.js systemValues) as the decision's input: truth values as numbers.
function zenInput(ir, sys) {
    const input = { today: sys.today };
    ir.facts.forEach((f, i) => {
        const v = sys.values[i];
        if (f.type === 'bool')
            input[f.id] = v === true ? 1 : v === false ? 0 : 0.5;
        else if (v !== null)
            input[f.id] = v;
    });
    return input;
}

// The decision's output in the form lib/ir.js canonical() takes.
function zenAnswer(ir, out) {
    const v = (x) => (x === undefined ? null : x);
    return {
        phase: v(out.phase),
        labels: ir.labels.map((li, n) => v(out[`label${n}`])),
        reqs: ir.requirements.map((r, n) => [out[`r${n}_s`], v(out[`r${n}_f`]), v(out[`r${n}_t`])]),
        procs: ir.procedures.map((p, n) => [out[`p${n}_s`], v(out[`p${n}_r`]), v(out[`p${n}_a`])]),
        conclusion: v(out.conclusion),
        warnings: ir.warnings.map((w, n) => out[`w${n}`] === true),
    };
}

module.exports = { toZen, zenInput, zenAnswer };
