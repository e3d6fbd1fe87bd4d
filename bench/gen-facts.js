#!/usr/bin/env node
// gen-facts.js — writes N facts files of varied, realistic systems for the benchmark: each file
// one system as a public body or company would describe it (high-risk systems from every annex
// point, Annex I products, chatbots, general-purpose models, rule-based calculations, prohibited
// practices, systems given by their Algoritmekader labels, importers and distributors), at every
// stage of its life and on evaluation dates across the AI Act's stages. Most systems are described
// completely; about one in five leaves facts out, as a register does when it is still being
// filled in. Answers to the Beslishulp questions are added when the loaded rules declare them.
//
// usage: gen-facts.js --program IR.json --count N --out DIR [--seed S] [--incomplete FRACTION]
// writes DIR/facts/sys-NNNNNN.yaml, DIR/systems.jsonl (the same systems, one JSON object per
// line, in the same order) and DIR/manifest.tsv (file, complete|incomplete, profile).
'use strict';

const fs = require('fs');
const path = require('path');
const { loadProgram, dayText, dayNumber } = require('./lib/ir');

function parseArgs(argv) {
    const o = { seed: 2026, incomplete: 0.2 };
    for (let i = 2; i < argv.length; i++) {
        const a = argv[i], v = argv[i + 1];
        if (a === '--program') o.program = v;
        else if (a === '--count') o.count = Number(v);
        else if (a === '--out') o.out = v;
        else if (a === '--seed') o.seed = Number(v);
        else if (a === '--incomplete') o.incomplete = Number(v);
        else throw usage(`unknown argument ${a}`);
        i++;
    }
    if (!o.program || !o.out || !Number.isInteger(o.count) || o.count < 1)
        throw usage('--program, --out and a positive --count are required');
    if (!(o.incomplete >= 0 && o.incomplete <= 1))
        throw usage('--incomplete is a fraction between 0 and 1');
    return o;
}

function usage(msg) {
    return new Error(`gen-facts: ${msg}\nusage: gen-facts.js --program IR.json --count N --out DIR [--seed S] [--incomplete FRACTION]`);
}

// mulberry32: small, fast and the same on every machine, so a seed names a data set.
function rng(seed) {
    let a = seed >>> 0;
    const next = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return {
        next,
        chance: (p) => next() < p,
        pick: (items) => items[Math.floor(next() * items.length)],
        int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
        weighted: (table) => {
            let total = 0;
            for (const [w] of table) total += w;
            let x = next() * total;
            for (const [w, v] of table) {
                if ((x -= w) < 0) return v;
            }
            return table[table.length - 1][1];
        },
    };
}

const PHASES = ['probleemanalyse', 'ontwerp', 'dataverkenning-en-datapreparatie', 'ontwikkelen',
    'verificatie-en-validatie', 'implementatie', 'monitoring-en-beheer', 'uitfaseren'];

const ORGANISATIONS = ['Gemeente Zuidwolde', 'Provincie Noordland', 'Waterschap De Dijken', 'Dienst Toeslagen',
    'Ministerie van Infrastructuur', 'UWV-kantoor Oost', 'Politie eenheid Midden', 'Zorgverzekeraar Vita',
    'Bank Lagelanden', 'Hogeschool Rijnmond', 'Ziekenhuis Westervoort', 'Netbeheerder Gelre', 'Startup Beeldwerk',
    'Uitgeverij Letterkast', 'Immigratiedienst', 'Rechtbank Oost-Brabant', 'Verzekeraar Zekerheid', 'Parkeerbedrijf Stad'];

const PURPOSES = {
    1: ['gezichtsherkenning bij de grens', 'biometrische toegangscontrole', 'identificatie op afstand achteraf'],
    2: ['sturing van het elektriciteitsnet', 'waterpeilbeheer van gemalen', 'verkeersregeling op snelwegen'],
    3: ['toelating van studenten', 'beoordeling van examens', 'toezicht op online toetsen'],
    4: ['voorselectie van sollicitanten', 'roosters en taakverdeling', 'beoordeling van werkprestaties'],
    5: ['toekenning van uitkeringen', 'kredietwaardigheid van consumenten', 'premies van zorgverzekeringen', 'triage van noodoproepen'],
    6: ['risicotaxatie van verdachten', 'analyse van bewijsmateriaal', 'voorspelling van recidive'],
    7: ['beoordeling van asielaanvragen', 'risicoprofielen bij visumaanvragen', 'detectie van valse documenten'],
    8: ['ondersteuning bij rechterlijke uitspraken', 'analyse van verkiezingscampagnes'],
};

const date = (r, from, to) => dayText(r.int(dayNumber(from), dayNumber(to)));

// Who the organisation is towards the system; the art. 25 cases are among them.
function involvement(r, f, { mayImport = true } = {}) {
    const table = [[30, 'ontwikkelt'], [18, 'laat-ontwikkelen'], [30, 'gebruikt'], [8, 'gebruikt-met-aanpassingen']];
    if (mayImport) table.push([5, 'importeert'], [5, 'distribueert'], [1, 'geen']);
    f.betrokkenheid = r.weighted(table);
    if (f.betrokkenheid === 'ontwikkelt' || f.betrokkenheid === 'laat-ontwikkelen')
        f.gebruikt_zelf = r.chance(0.6);
    f.overheidsorganisatie = r.chance(0.6);
    if (!f.overheidsorganisatie)
        f.private_publieke_dienst = r.chance(0.3);
    f.bedoeld_voor_overheid = f.overheidsorganisatie || r.chance(0.3);
    f.buiten_eu_gevestigd = f.betrokkenheid === 'importeert' ? true : r.chance(0.1);
}

function lifecycle(r, f) {
    // Either the phase itself, or only whether it is in use (the Beslishulp's question), or both.
    const how = r.weighted([[55, 'phase'], [30, 'operational'], [15, 'both']]);
    const phase = r.pick(PHASES);
    const inUse = phase === 'monitoring-en-beheer' || phase === 'uitfaseren';
    if (how !== 'operational')
        f.levenscyclus = phase;
    if (how !== 'phase')
        f.operationeel = inUse || (how === 'operational' && r.chance(0.5)) ? 'in gebruik' : 'in ontwikkeling';
    if (inUse || f.operationeel === 'in gebruik' || r.chance(0.2))
        f.ingebruikname = date(r, '2021-01-01', '2029-12-31');
    f.substantieel_gewijzigd = r.chance(0.15);
}

function transparency(r, f, chatty) {
    f.interactie_met_personen = chatty ? r.chance(0.9) : r.chance(0.1);
    f.synthetische_content = chatty ? r.chance(0.7) : r.chance(0.05);
    f.emotieherkenning_of_biometrische_categorisering = r.chance(0.05);
    f.deepfake_of_publieksinformatie = chatty ? r.chance(0.2) : r.chance(0.02);
    if (f.interactie_met_personen || f.synthetische_content || f.emotieherkenning_of_biometrische_categorisering
        || f.deepfake_of_publieksinformatie)
        f.uitzondering_transparantie = r.chance(0.05);
}

function privacy(r, f, personal) {
    f.persoonsgegevens = personal;
    if (personal) {
        f.hoog_privacyrisico = r.chance(0.5);
        if (f.profilering === undefined)
            f.profilering = r.chance(0.3);
    }
}

function algorithmKind(r, f, kind, impact) {
    f.soort_algoritme = kind;
    f.impact = impact;
}

function aiSystem(r, f) {
    f.ai_systeem = true;
    f.algemene_doeleinden = false;
    f.uitzondering_toepassingsgebied = false;
    f.verboden_praktijk = false;
}

// ---- profiles: each builds one system ----

const profiles = {
    'hoog-risico-bijlage-iii'(r) {
        const punt = r.int(1, 8);
        const f = { naam: `${r.pick(PURPOSES[punt])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, r.weighted([[8, 'machine-learning'], [2, 'generatieve-ai'], [1, 'rekenregel']]), 'hoog-risico');
        aiSystem(r, f);
        f.bijlage_i = 'geen';
        if (r.chance(0.7)) f.bijlage_iii_punt = punt;
        else f.bijlage_iii = true;
        f.profilering = punt !== 2 && r.chance(0.7);
        if (!f.profilering) f.uitzondering_6_3 = r.chance(0.3);
        f.besluiten_over_personen = punt !== 2 && r.chance(0.8);
        if (punt === 5) f.krediet_of_verzekering = r.chance(0.5);
        transparency(r, f, false);
        involvement(r, f);
        lifecycle(r, f);
        f.normen_volledig_toegepast = r.chance(0.6);
        f.rechtshandhaving_migratie_of_eu = punt === 1 || punt === 6 || punt === 7 ? r.chance(0.7) : r.chance(0.05);
        privacy(r, f, punt !== 2 || r.chance(0.2));
        return f;
    },
    'bijlage-i-product'(r) {
        const f = { naam: `${r.pick(['fractuurdetectie', 'lift-onderhoudsvoorspelling', 'rijhulpsysteem', 'speelgoedrobot', 'sluisbesturing'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'machine-learning', r.chance(0.8) ? 'hoog-risico' : 'impactvol');
        aiSystem(r, f);
        f.bijlage_i = r.weighted([[3, 'A'], [1, 'B']]);
        f.derde_partij_verplicht = r.chance(0.75);
        f.bijlage_iii = r.chance(0.1);
        f.profilering = false;
        transparency(r, f, false);
        involvement(r, f, { mayImport: true });
        lifecycle(r, f);
        f.normen_volledig_toegepast = r.chance(0.5);
        privacy(r, f, r.chance(0.6));
        return f;
    },
    chatbot(r) {
        const f = { naam: `${r.pick(['chatbot', 'spraakassistent', 'schrijfhulp voor brieven', 'samenvatter van dossiers'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'generatieve-ai', r.pick(['niet-impactvol', 'impactvol']));
        aiSystem(r, f);
        f.bijlage_i = 'geen';
        f.bijlage_iii = false;
        transparency(r, f, true);
        if (r.chance(0.3)) f.open_source = r.chance(0.4);
        involvement(r, f);
        lifecycle(r, f);
        privacy(r, f, r.chance(0.8));
        return f;
    },
    'laag-risico-ai'(r) {
        const f = { naam: `${r.pick(['postsortering', 'vertaalhulp', 'zoekfunctie archief', 'onderhoudsplanning', 'spamfilter'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'machine-learning', r.pick(['niet-impactvol', 'impactvol']));
        aiSystem(r, f);
        f.bijlage_i = 'geen';
        f.bijlage_iii = false;
        transparency(r, f, false);
        f.open_source = r.chance(0.35);
        involvement(r, f);
        lifecycle(r, f);
        privacy(r, f, r.chance(0.5));
        return f;
    },
    'ai-systeem-algemene-doeleinden'(r) {
        const f = { naam: `AI-assistent voor medewerkers (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'generatieve-ai', r.pick(['niet-impactvol', 'impactvol']));
        aiSystem(r, f);
        f.algemene_doeleinden = true;
        f.bijlage_i = 'geen';
        f.bijlage_iii = r.chance(0.15);
        if (f.bijlage_iii) f.profilering = r.chance(0.5);
        transparency(r, f, true);
        involvement(r, f);
        lifecycle(r, f);
        privacy(r, f, r.chance(0.7));
        return f;
    },
    'ai-model'(r) {
        const f = { naam: `${r.pick(['groot taalmodel', 'beeldmodel', 'spraakmodel'])} van ${r.pick(['een Europees AI-lab', 'een universiteit', 'een start-up'])}` };
        algorithmKind(r, f, 'generatieve-ai', r.pick(['niet-impactvol', 'impactvol']));
        f.ai_systeem = false;
        f.ai_model_algemene_doeleinden = true;
        f.uitzondering_toepassingsgebied = r.chance(0.05);
        f.model_systeemrisico = r.chance(0.25);
        f.open_source = r.chance(0.4);
        f.betrokkenheid = r.weighted([[6, 'ontwikkelt'], [2, 'laat-ontwikkelen'], [1, 'importeert'], [1, 'distribueert']]);
        if (f.betrokkenheid === 'ontwikkelt' || f.betrokkenheid === 'laat-ontwikkelen') f.gebruikt_zelf = r.chance(0.3);
        f.overheidsorganisatie = r.chance(0.1);
        f.buiten_eu_gevestigd = r.chance(0.3);
        lifecycle(r, f);
        privacy(r, f, r.chance(0.6));
        return f;
    },
    rekenregel(r) {
        const f = { naam: `${r.pick(['parkeervergunningen', 'berekening huurtoeslag', 'leges', 'afvalstoffenheffing'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'rekenregel', r.pick(['niet-impactvol', 'impactvol']));
        f.ai_systeem = false;
        f.ai_model_algemene_doeleinden = false;
        f.overheidsorganisatie = r.chance(0.9);
        lifecycle(r, f);
        f.persoonsgegevens = r.chance(0.8);
        if (f.persoonsgegevens) { f.hoog_privacyrisico = r.chance(0.2); f.profilering = false; }
        return f;
    },
    'verboden-praktijk'(r) {
        const f = { naam: `${r.pick(['sociale scoring', 'emotieherkenning op de werkvloer', 'ongericht scrapen van gezichten'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'machine-learning', 'hoog-risico');
        aiSystem(r, f);
        f.verboden_praktijk = true;
        f.bijlage_i = 'geen';
        f.bijlage_iii = r.chance(0.5);
        f.profilering = true;
        transparency(r, f, false);
        involvement(r, f);
        lifecycle(r, f);
        privacy(r, f, true);
        return f;
    },
    'uitzondering-art-2'(r) {
        const f = { naam: `${r.pick(['doelherkenning defensie', 'onderzoeksprototype', 'inlichtingenanalyse'])} (${r.pick(ORGANISATIONS)})` };
        algorithmKind(r, f, 'machine-learning', r.pick(['impactvol', 'hoog-risico']));
        f.ai_systeem = true;
        f.algemene_doeleinden = false;
        f.uitzondering_toepassingsgebied = true;
        f.verboden_praktijk = false;
        f.bijlage_i = 'geen';
        f.bijlage_iii = r.chance(0.3);
        involvement(r, f, { mayImport: false });
        lifecycle(r, f);
        privacy(r, f, r.chance(0.5));
        return f;
    },
    // Systems described by their Algoritmekader labels (the register's own vocabulary), sometimes
    // with the base facts as well, which may disagree (the report then warns).
    labels(r) {
        const f = { naam: `${r.pick(['registerinvoer', 'gemigreerd uit het algoritmeregister', 'inventarisatie'])} ${r.int(1, 999)}` };
        const soort = r.weighted([[8, 'ai-systeem'], [1, 'ai-systeem-voor-algemene-doeleinden'], [1, 'ai-model-voor-algemene-doeleinden']]);
        const ai = { 'soort-toepassing': soort };
        if (soort === 'ai-model-voor-algemene-doeleinden') {
            ai.risicogroep = 'niet-van-toepassing';
            ai.systeemrisico = r.pick(['systeemrisico', 'geen-systeemrisico']);
            ai.transparantieverplichting = 'niet-van-toepassing';
        } else {
            ai.risicogroep = r.weighted([[5, 'hoog-risico-ai-systeem'], [6, 'geen-hoog-risico-ai-systeem'], [1, 'verboden-ai'], [1, 'uitzondering-van-toepassing']]);
            ai.systeemrisico = 'niet-van-toepassing';
            ai.transparantieverplichting = r.pick(['transparantieverplichting', 'geen-transparantieverplichting']);
        }
        ai['rol-ai-act'] = r.weighted([[4, ['aanbieder']], [5, ['gebruiksverantwoordelijke']], [3, ['aanbieder', 'gebruiksverantwoordelijke']], [1, ['importeur']], [1, ['distributeur']]]);
        if (ai['rol-ai-act'].length === 1 && r.chance(0.5)) ai['rol-ai-act'] = ai['rol-ai-act'][0];
        ai['open-source'] = r.pick(['open-source', 'geen-open-source', 'niet-van-toepassing']);
        f.ai_act = ai;
        algorithmKind(r, f, r.pick(['machine-learning', 'generatieve-ai']), ai.risicogroep === 'hoog-risico-ai-systeem' ? 'hoog-risico' : r.pick(['niet-impactvol', 'impactvol']));
        if (r.chance(0.3)) {
            aiSystem(r, f);
            f.bijlage_i = 'geen';
            f.bijlage_iii_punt = r.int(1, 8);
            f.profilering = r.chance(0.5);
        } else if (ai.risicogroep === 'hoog-risico-ai-systeem') {
            f.bijlage_iii_punt = r.int(1, 8);
        }
        f.overheidsorganisatie = r.chance(0.7);
        f.bedoeld_voor_overheid = f.overheidsorganisatie;
        f.besluiten_over_personen = r.chance(0.6);
        f.buiten_eu_gevestigd = r.chance(0.05);
        f.normen_volledig_toegepast = r.chance(0.5);
        f.rechtshandhaving_migratie_of_eu = r.chance(0.2);
        lifecycle(r, f);
        privacy(r, f, r.chance(0.8));
        return f;
    },
    'importeur-distributeur'(r) {
        const f = { naam: `${r.pick(['examensoftware', 'kredietscore', 'camerabewaking', 'sollicitatietool'])} van buiten de EU` };
        algorithmKind(r, f, 'machine-learning', 'hoog-risico');
        aiSystem(r, f);
        f.bijlage_i = 'geen';
        f.bijlage_iii_punt = r.int(1, 8);
        f.profilering = r.chance(0.6);
        transparency(r, f, false);
        f.betrokkenheid = r.pick(['importeert', 'distribueert']);
        f.overheidsorganisatie = false;
        f.private_publieke_dienst = false;
        f.bedoeld_voor_overheid = r.chance(0.4);
        f.buiten_eu_gevestigd = true;
        lifecycle(r, f);
        privacy(r, f, r.chance(0.4));
        return f;
    },
};

const PROFILE_WEIGHTS = [
    [26, 'hoog-risico-bijlage-iii'], [7, 'bijlage-i-product'], [12, 'chatbot'], [14, 'laag-risico-ai'],
    [5, 'ai-systeem-algemene-doeleinden'], [5, 'ai-model'], [9, 'rekenregel'], [3, 'verboden-praktijk'],
    [3, 'uitzondering-art-2'], [11, 'labels'], [5, 'importeur-distributeur'],
];

// ---- writing ----

function checkDeclared(ir, facts, where) {
    const declared = new Map(ir.facts.map((f) => [f.path.join('\u0000'), f]));
    const visit = (obj, prefix) => {
        for (const [k, v] of Object.entries(obj)) {
            const p = [...prefix, k];
            if (prefix.length === 0 && (k === 'naam' || k === 'datum'))
                continue;
            if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
                visit(v, p);
                continue;
            }
            const d = declared.get(p.join('\u0000'));
            if (!d)
                throw new Error(`gen-facts: ${where}: ${p.join('.')} is not a fact the rules declare (did the stdlib change?)`);
            if (d.allowed.length) {
                for (const item of Array.isArray(v) ? v : [v])
                    if (!d.allowed.includes(item))
                        throw new Error(`gen-facts: ${where}: ${p.join('.')} = ${item} is not one of ${d.allowed.join(', ')}`);
            }
        }
    };
    visit(facts, []);
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./()'-]*$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function yamlScalar(v) {
    if (typeof v === 'boolean' || typeof v === 'number')
        return String(v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v))
        return v;
    if (PLAIN.test(v) && !AMBIGUOUS.test(v) && !/ $/.test(v) && !/ #/.test(v))
        return v;
    return JSON.stringify(v);
}

function yamlKey(k) {
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !AMBIGUOUS.test(k) ? k : JSON.stringify(k);
}

function toYaml(obj, indent = '') {
    let out = '';
    for (const [k, v] of Object.entries(obj)) {
        if (v !== null && typeof v === 'object' && !Array.isArray(v))
            out += `${indent}${yamlKey(k)}:\n${toYaml(v, indent + '  ')}`;
        else if (Array.isArray(v))
            out += `${indent}${yamlKey(k)}: [${v.map(yamlScalar).join(', ')}]\n`;
        else
            out += `${indent}${yamlKey(k)}: ${yamlScalar(v)}\n`;
    }
    return out;
}

// Answers to the Beslishulp questions, when its compiled tree declares them as facts under
// `beslishulp` (each question a fact with the answers as allowed values).
function beslishulpAnswers(r, ir) {
    const questions = ir.facts.filter((f) => f.path[0] === 'beslishulp' && f.allowed.length);
    if (!questions.length)
        return null;
    const answers = {};
    for (const q of questions)
        if (r.chance(0.85))
            answers[q.path.slice(1).join('.')] = r.pick(q.allowed);
    return answers;
}

// Leaves out a share of the facts (never all), as a register that is still being filled in does.
function makeIncomplete(r, f) {
    const keys = Object.keys(f).filter((k) => k !== 'naam' && k !== 'datum');
    const drop = Math.max(1, Math.floor(keys.length * (0.2 + 0.5 * r.next())));
    for (let i = 0; i < drop && keys.length > 1; i++) {
        const k = keys.splice(Math.floor(r.next() * keys.length), 1)[0];
        delete f[k];
    }
}

function main() {
    const o = parseArgs(process.argv);
    const ir = loadProgram(o.program);
    const r = rng(o.seed);
    const factsDir = path.join(o.out, 'facts');
    fs.rmSync(factsDir, { recursive: true, force: true });
    fs.mkdirSync(factsDir, { recursive: true });
    const jsonl = fs.openSync(path.join(o.out, 'systems.jsonl'), 'w');
    const manifest = fs.openSync(path.join(o.out, 'manifest.tsv'), 'w');
    const width = Math.max(6, String(o.count).length);
    const hasTijdlijn = ir.facts.some((f) => f.name === 'tijdlijn');
    let buffered = [];
    const flush = () => { fs.writeSync(jsonl, buffered.join('')); buffered = []; };
    for (let i = 1; i <= o.count; i++) {
        const profile = r.weighted(PROFILE_WEIGHTS);
        const f = profiles[profile](r);
        const facts = { naam: f.naam, datum: date(r, '2025-01-01', '2031-12-31') };
        delete f.naam;
        Object.assign(facts, f);
        if (hasTijdlijn && r.chance(0.15))
            facts.tijdlijn = 'wet';
        const answers = beslishulpAnswers(r, ir);
        if (answers && r.chance(0.3))
            facts.beslishulp = answers;
        const incomplete = r.chance(o.incomplete);
        if (incomplete)
            makeIncomplete(r, facts);
        const name = `sys-${String(i).padStart(width, '0')}.yaml`;
        checkDeclared(ir, facts, name);
        fs.writeFileSync(path.join(factsDir, name), `# ${profile}${incomplete ? ', onvolledig' : ''}\n${toYaml(facts)}`);
        buffered.push(`${JSON.stringify(facts)}\n`);
        fs.writeSync(manifest, `facts/${name}\t${incomplete ? 'incomplete' : 'complete'}\t${profile}\n`);
        if (buffered.length >= 1000)
            flush();
    }
    flush();
    fs.closeSync(jsonl);
    fs.closeSync(manifest);
}

try {
    main();
} catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
}
