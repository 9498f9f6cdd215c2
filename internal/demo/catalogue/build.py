#!/usr/bin/env python3
"""Builds texts.jsonl.gz, the demo catalogue's achievement texts, from the
catalogue files of the project's shared data (../shared/data/catalogue):
the CSL full records (Apache-2.0) and the ChinaXiv preprints (CC BY 4.0).
Humanities and social-science rows are left out (see drop_cat). Rows are kept when they make a valid achievement: a title of 4-200
characters, an abstract of 40-5000, and 1-10 keywords of 2-30 characters
that are not classification codes; titles appear once. The output is
deterministic (input order). Run: python3 build.py ../../../../shared/data/catalogue
"""
import gzip, json, re, sys, unicodedata

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data/catalogue"
files = [("csl_full_2000.jsonl", "csl"), ("csl_acsl_1943.jsonl", "csl"), ("chinaxiv_11269.jsonl", "chinaxiv")]
code = re.compile(r"^[A-Z]{1,2}\d[\d.;/:-]*$")
# Technology achievements only: the humanities and social sciences are left
# out, and a row without a category must read like technology.
drop_cat = {"法学", "经济学", "文学", "哲学", "历史学", "艺术学", "教育学", "军事学", "管理学"}
drop_disc = {"心理学", "图书馆学", "天文学", "科学、科学研究", "地理学", "大气科学", "管理学"}
cue = re.compile("技术|工艺|装置|设备|材料|制备|算法|系统|检测|传感|电池|合金|催化|药物|疫苗|芯片|机器人|控制|优化|育种|品种|制造|加工|模型|方法")
seen, out = set(), []
for name, tag in files:
    for line in open(f"{src}/{name}", encoding="utf-8"):
        r = json.loads(line)
        t = unicodedata.normalize("NFC", r["title"]).strip()
        a = unicodedata.normalize("NFC", r["abstract"]).strip()
        ks = []
        for k in r.get("keywords") or []:
            k = unicodedata.normalize("NFC", k).strip()
            if 2 <= len(k) <= 30 and not code.match(k) and k not in ks:
                ks.append(k)
        ks = ks[:10]
        c, d = r.get("category", ""), r.get("discipline", "")
        if c in drop_cat or d in drop_disc or not (c or cue.search(t + a)):
            continue
        if not (4 <= len(t) <= 200 and 40 <= len(a) <= 5000 and ks) or t in seen:
            continue
        if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in t + a + "".join(ks)):
            continue
        seen.add(t)
        out.append({"t": t, "a": a, "k": ks, "d": r.get("discipline", ""), "c": r.get("category", ""), "s": tag})
with gzip.GzipFile("texts.jsonl.gz", "wb", mtime=0, compresslevel=9) as f:
    for r in out:
        f.write((json.dumps(r, ensure_ascii=False) + "\n").encode())
print(len(out), "texts")
