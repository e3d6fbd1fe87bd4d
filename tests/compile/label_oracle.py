#!/usr/bin/env python3
"""label_oracle.py — checks the compiled 2026 requirements against an independent reading of
their front matter: for every combination of one label per AI Act group (each value that occurs
in the corpus), `kader eval` must select exactly the requirements whose listed labels contain the
system's label in every group they list and none of whose exceptions holds.

usage: label_oracle.py KADER CORPUS WORKDIR   (exit 77 when the corpus or PyYAML is missing)
"""
import itertools
import json
import os
import re
import shutil
import subprocess
import sys

GROUPS = ["soort-toepassing", "risicogroep", "rol-ai-act", "transparantieverplichting",
          "systeemrisico", "open-source"]


def front_matter(path):
    import yaml
    text = open(path, encoding="utf-8").read()
    if not text.startswith("---"):
        return None
    end = text.index("\n---", 3)
    return yaml.safe_load(text[3:end])


def holds(entry, system):
    """Evaluates one exception entry ("group-value" labels with && || ! and parentheses)."""
    def label(m):
        text = m.group(1) if m.group(1) is not None else m.group(2)
        group = max((g for g in GROUPS if text.startswith(g + "-")), key=len)
        return " True " if text[len(group) + 1:] in system[group] else " False "
    expr = re.sub(r'"([^"]*)"|([A-Za-z0-9_.][A-Za-z0-9_.-]*)', label, entry)
    expr = expr.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    return eval(expr, {"__builtins__": {}})  # only True/False/and/or/not/() remain


def main():
    kader, corpus, work = sys.argv[1:4]
    src = os.path.join(corpus, "algoritmekader-2026", "vereisten")
    if not os.path.isdir(src):
        print("skipped: no requirement corpus at " + corpus)
        return 77
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("skipped: PyYAML is not installed")
        return 77

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "facts"))
    rules = os.path.join(work, "rules")
    subprocess.run([kader, "compile", src, "-o", rules], check=True, stderr=subprocess.DEVNULL)

    docs = {}
    for name in sorted(os.listdir(src)):
        if name.endswith(".md") and name != "index.md":
            fm = front_matter(os.path.join(src, name))
            docs[fm["id"]] = fm
    values = {g: sorted({v for fm in docs.values() for v in (fm.get(g) or [])}) for g in GROUPS}

    systems = [dict(zip(GROUPS, combo)) for combo in itertools.product(*(values[g] for g in GROUPS))]
    paths = []
    for i, labels in enumerate(systems):
        path = os.path.join(work, "facts", "%05d.yaml" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write("ai_act:\n")
            for g in GROUPS:
                f.write("  %s: [%s]\n" % (g, labels[g]))
        paths.append(path)

    out = subprocess.run([kader, "eval", "--rules", rules, "--format", "json"] + paths,
                         check=True, capture_output=True, text=True).stdout
    reports = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(reports) != len(systems):
        print("FAIL: %d reports for %d systems" % (len(reports), len(systems)))
        return 1

    mismatches = 0
    for labels, report in zip(systems, reports):
        system = {g: {v} for g, v in labels.items()}
        got = {r["id"]: r["status"] for r in report["requirements"]}
        for rid, fm in docs.items():
            listed = all(labels[g] in fm[g] for g in GROUPS if fm.get(g))
            excepted = any(holds(e, system) for e in (fm.get("uitzondering") or []) if e)
            want = "applies" if listed and not excepted else "not-applicable"
            if got.get(rid) != want:
                mismatches += 1
                if mismatches <= 10:
                    print("FAIL: %s for %s: kader says %s, the front matter %s"
                          % (rid, labels, got.get(rid), want))
    print("%d systems x %d requirements checked, %d mismatches"
          % (len(systems), len(docs), mismatches))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
