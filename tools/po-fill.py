#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes po/LANG.po from po/vesicle.pot and a translation table (one "INDEX<TAB>TEXT" line per
message, in the catalogue's order; plural forms separated by "||"), keeping the references.

Usage: tools/po-fill.py LANG TABLE [TABLE...]   (after 'meson compile -C _build vesicle-pot')
Made to write the first German catalogue; later changes go through msgmerge as usual."""
import re
import sys

lang, tables = sys.argv[1], sys.argv[2:]
table = {}
for path in tables:
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if line:
            index, text = line.split('\t', 1)
            table[int(index)] = text.replace('\\n', '\n')


def quote(s):
    s = s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
    return '"%s"' % s


blocks = open('po/vesicle.pot', encoding='utf-8').read().split('\n\n')
out = ['''# German translation of Vesicle.
# This file is distributed under the same license as the vesicle package.
msgid ""
msgstr ""
"Project-Id-Version: vesicle\\n"
"Report-Msgid-Bugs-To: \\n"
"PO-Revision-Date: 2026-12-01 12:00+0000\\n"
"Last-Translator: The Vesicle developers\\n"
"Language-Team: German\\n"
"Language: %s\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"''' % lang]
index = 0
for block in blocks[1:]:
    lines = [l for l in block.strip().split('\n') if l]
    if not lines:
        continue
    keep = [l for l in lines if l.startswith('#') and not l.startswith('#, fuzzy')]
    body = '\n'.join(l for l in lines if not l.startswith('#'))
    body = re.sub(r'\nmsgstr(\[\d\])? ""', '', '\n' + body).strip('\n')
    text = table[index]
    if 'msgid_plural' in body:
        forms = text.split('||')
        strs = '\n'.join('msgstr[%d] %s' % (i, quote(f)) for i, f in enumerate(forms))
    else:
        strs = 'msgstr ' + quote(text)
    out.append('\n'.join(keep + [body, strs]))
    index += 1
assert index == len(table), (index, len(table))
open('po/%s.po' % lang, 'w', encoding='utf-8').write('\n\n'.join(out) + '\n')
print('po/%s.po: %d messages' % (lang, index))
