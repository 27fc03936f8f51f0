"""Generates jinja2_snippets.json: small templates rendered by Python Jinja2 (3.1.x) configured as transformers'
apply_chat_template does (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, HF tojson,
raise_exception). JinjaCompatibilityTest renders the same snippets with ChatTemplate and compares byte for byte.
Snippets listed in GAPS are known differences of the Jinjava bridge; the test reports them as skipped.
Run: python3 jinja2_snippets.py  (writes the JSON next to this file)."""
import os
import json, jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.ext import loopcontrols
def raise_exception(m): raise jinja2.exceptions.TemplateError(m)
def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters['tojson'] = tojson
env.globals['raise_exception'] = raise_exception
env.globals['strftime_now'] = lambda fmt: __import__("datetime").datetime(2024, 7, 26).strftime(fmt)
ctx = {"s": "  Hello World</think>tail  ", "d": {"b": 1, "a": "x", "return": "r", "f": 1.5, "n": None, "t": True},
       "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}, {"role": "user", "content": "again"}],
       "e": "", "flag": False, "big": 1e20, "u": "é\u00a0x\u00a0", "emo": "a👍🏽b🇫🇷", "sf": "false", "z": "0"}
snips = [
 "{{ true }} {{ false }} {{ none }} {{ d.n }}",
 "{{ d }}", "{{ msgs[0] }}", "{{ d|string }}", "{{ [1, 'a', none, true] }}",
 "{{ 1.5 }} {{ 2.0 }} {{ 10 / 4 }} {{ 10 // 4 }} {{ 7 % 3 }} {{ 2 ** 10 }} {{ big }}",
 "{% for m in msgs %}{% if m.role == 'assistant' %}{% continue %}{% endif %}{{ m.content }}{% if loop.index == 2 %}{% break %}{% endif %},{% endfor %}",
 "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ s.strip(' H') }}|{{ s.upper() }}|{{ s.lower() }}|{{ s.title() }}",
 "{{ s.split() }} {{ s.split('</think>') }} {{ 'a,b,,c,'.split(',') }} {{ 'a b c'.split(' ', 1) }}",
 "{{ s.replace('l', 'L') }} {{ s.replace('l', 'L', 1) }} {{ s.startswith('  He') }} {{ s.endswith(('x', 'l  ')) }}",
 "{{ d.get('a') }} {{ d.get('zz', 'dflt') }} {{ d.get('zz') }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
 "{% for k in d %}{{ k }}{% endfor %} {{ d.keys()|list }} {{ d.values()|list }}",
 "{{ 'hi' in s }} {{ 'x' not in s }} {{ 'a' in d }} {{ 'zz' in d }} {{ 2 in [1,2] }}",
 "{{ 'a' ~ 1 ~ none ~ true }}", "{{ msgs|length }} {{ d|length }} {{ s|length }} {{ s|trim }}|{{ u|trim }}|",
 "{{ msgs[::-1]|map(attribute='role')|join(',') }} {{ s[::-1] }} {{ s[2:7] }} {{ s[-4:] }} {{ msgs[1:]|length }} {{ [1,2,3,4,5][::2] }}",
 "{{ d|tojson }}\n{{ d|tojson(indent=2) }}\n{{ msgs|tojson(indent=4) }}\n{{ {'k': [], 'm': {}, 's': 'q\"\\\\\\n\\t\u00e9<>&'}|tojson }}",
 "{% set ns = namespace(a=1, l=msgs|length - 1) %}{% for m in msgs %}{% set ns.a = ns.a + loop.index %}{% endfor %}{{ ns.a }} {{ ns.l }}",
 "{{ s is string }} {{ d is mapping }} {{ s is iterable }} {{ d is iterable }} {{ msgs is sequence }} {{ 1 is number }} {{ none is none }} {{ zz is defined }} {{ zz is undefined }} {{ flag is false }} {{ flag is sameas false }}",
 "{% if not zz is defined %}A{% endif %}{% if not msgs|length == 1 %}B{% endif %}{% if not e and not flag %}C{% endif %}{% if 'x' not in s %}D{% endif %}",
 "{% for k, v in d.items() if k != 'return' and v is not none %}{{ k }}{% if not loop.last %},{% endif %}{% endfor %}",
 "{{ 'yes' if e else 'no' }} {{ (msgs|selectattr('role', 'equalto', 'user')|list)[-1].content }} {{ msgs|map(attribute='content')|join('|') }}",
 "a\n  {% if true %}\n    b\n  {% endif %}\n  {%- if true %} c {% endif -%}\n  d {# note #}\n  {#- x -#}  e",
 "{{ 'a\\nb\\tc\\\\d\\'e\\x41\\u00e9' }}|{{ \"q\\\"r\" }}",
 "{%- raw -%}  {{ not rendered }} {%- endraw %} after",
 "{% set x %}block {{ 1 + 1 }}{% endset %}[{{ x }}]",
 "{% macro m(a, b='z') %}<{{ a }}{{ b }}>{% endmacro %}{{ m('x') }}{{ m('x', b='y') }}",
 "{{ msgs[0]['role']|upper }} {{ 'Hello'|lower }} {{ 'ab'|replace('a','c') }} {{ 'hello world'|title }} {{ 'x'|default('d') }} {{ zz|default('d') }}",
 "{{ [3,1,2]|sort }} {{ [3,1,2]|max }} {{ [1,2,3]|first }} {{ [1,2,3]|last }} {{ [1,2]|reverse|list }} {{ ['a','b']|join }}",
 "{% for i in range(3) %}{{ i }}{% endfor %} {{ range(1, 7, 2)|list }}",
 "{% if msgs[0].content is string and msgs[0].content|length > 1 %}ok{% endif %}",
 "x {% if true %}y{% endif %} z", "d {# note #}e", "d {#- note #} e", "  {% if true %}a{% endif %}\n  b", "line\n    {%- if true %}b{% endif %}\n", "  {{ 'e' }}  \n  {% set q = 1 %}  \nz",
 "A {%+ if true %}B{% endif %}\n  {%+ if true %}C{% endif %}", "{% if true +%}\nD{% endif %}", "\t{% for i in [1,2] %}\n\t{{ i }}\n\t{% endfor %}\nend",
 "{% for m in msgs %}{{ loop.index }}/{{ loop.length }}/{{ loop.revindex0 }}{{ ',' if not loop.last }}{% endfor %}",
 "{%- raw %}\n  {{ x }}\n  {% endraw %}\nafter", "{% if x is not defined %}{{ 'u' }}{% endif %}",
 "{% if msgs|length > 2 %}{{ raise_exception('too many: ' ~ msgs|length) }}{% endif %}after",
 "{{ emo|length }} {{ emo[1:3] }} {{ emo[:-1] }} {{ emo[-2:] }} {{ emo[::-1] }} {{ emo[0] }} {{ emo[-1] }} {{ s[0] }}{{ s[-1] }}",
 "{% if sf %}A{% endif %}{% if z %}B{% endif %}{% if 0 %}C{% endif %}{% if [] %}D{% endif %}{% if {} %}E{% endif %}{% if 0.0 %}F{% endif %}{% if ' ' %}G{% endif %}",
 "{{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % -3 }} {{ 2 ** -1 }} {{ 1 + 1.5 }} {{ (1, 2) }}",
 "{% for m in msgs %}{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ loop.nextitem.role if loop.nextitem is defined else '-' }};{% endfor %}",
 "{% for m in msgs %}{% for k, v in m.items() %}{{ loop.index }}{{ k[0] }}{% endfor %}{{ loop.index }} {% endfor %}",
 "{{ 'Hello world' | capitalize }} {{ 'hELLO wORLD' | capitalize }} {{ \"they're bill's\" | title }} {{ 'a-b c_d' | title }}",
 "{{ 'a\\nb' | replace('\\n', ' ') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ msgs | map(attribute='role') | unique | list }} {{ msgs | rejectattr('role', 'equalto', 'user') | list | length }}",
 "{{ msgs[0].content ~ ' & ' ~ msgs[1].content }} {{ 'x' if msgs|length > 2 }}!",
 "{{ True }} {{ None }} {{ d.n is none }} {{ zz is none }} {{ d.n is defined }} {{ d.n == none }} {{ zz == none }} {{ none is not none }} {{ [none]|tojson }} {{ d.n|string }}|{{ zz|string }}|",
 "{% set ns = namespace(v=none) %}{{ ns.v }} {{ ns.v is none }} {% if not ns.v %}falsy{% endif %} {{ 'a' ~ none }}",
 "{% filter trim %}\n  padded text  \n{% endfilter %}|{% filter upper|replace('A', '4') %}abc{% endfilter %}|{% set b %}  in set  {% endset %}{{ b|trim }}",
 "{{ d.n|default('x', true) }} {{ d.n|default('x') }} {{ zz|default('x') }} {{ e|default('x', true) }} {{ e|d('y') }}",
 "{% if strftime_now is defined %}{{ strftime_now('%d %b %Y') }}{% endif %} {{ raise_exception is defined }} {{ nothing is defined }}",
 "{{ 'a\\nb\\nc'|indent(2) }}|{{ 'a\\nb'|indent(4, first=true) }}|{{ [1] + [2, 3] }} {{ (msgs|map(attribute='role')|list + ['x'])|join(',') }}",
 "{% macro ty(spec) %}{% if spec.type == 'array' %}List[{{ ty(spec['items']) }}]{% else %}{{ spec.type }}{% endif %}{% endmacro %}{{ ty({'type': 'array', 'items': {'type': 'array', 'items': {'type': 'int'}}}) }}",
 "{% for k, v in d|items %}{{ k }}{% if not loop.last %},{% endif %}{% endfor %} {% for m in msgs %}{% if loop.index > 1 %}{% break %}{% endif %}{{ m.role }}{% endfor %}",
 "{{ 'x'|safe + '<b>' + \"'\" }} {{ 'a' ~ ('<'|safe) ~ '&' }} {{ 1 + 2.5 }} {{ 2 + 3 }} {{ [1] + [2] }} {{ 1e+2 + 1 }} {{ -1 + +2 }}",
 "{{ 'text' + ['part'] }}", "{{ msgs[0].content + d.n }}", "{{ d.n + 'x' }}",
 "{% for c in 'héy' %}{{ c }}.{% endfor %}{% for x in zz %}never{% endfor %}|{% for k in d if k != 'a' %}{{ k }}{% endfor %}",
 "{% for x in d.n %}{{ x }}{% endfor %}",
 "{{ ['b', 'A', 'c']|max }} {{ ['b', 'A', 'c']|min }} {{ ['b', 'A', 'c']|max(case_sensitive=true) }} {{ msgs|max(attribute='content') }} {{ []|max }}|",
 "{{ 7 % -3 }} {{ -7 % 3 }} {{ 7.5 % 2 }} {{ 2 * 3 + 1 }} {{ 2 + 3 * 4 }} {{ 10 / 4 * 2 }} {{ 17 // 5 % 2 }} {{ '-' * 3 ~ '|' }} {{ [0] * 2 }} {{ 3 * 'ab' }} {{ 2 ** 3 * 2 }} {{ loop_var|default(0) % 2 == 0 }}",
 "{{ 'x' * 3 }} {{ 3 > 2 and 1 < 2 }} {{ 1 == 1.0 }} {{ -1 }} {{ 5 - 7 }}",
]
out = []
for t in snips:
    try: r = {"ok": env.from_string(t).render(**ctx)}
    except jinja2.exceptions.TemplateError as ex: r = {"raise": str(ex)}
    except TypeError as ex: r = {"type_error": str(ex)}
    out.append({"t": t, **r})
GAPS = {
 "{{ 4 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % -3 }} {{ 2 ** -1 }} {{ 1 + 1.5 }} {{ (1, 2) }}": "** with a negative exponent follows Java, tuples print as lists",
 "{% for m in msgs %}{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ loop.nextitem.role if loop.nextitem is defined else '-' }};{% endfor %}": "loop.previtem/loop.nextitem are not supported",
}
for o in out:
    if o["t"] in GAPS: o["gap"] = GAPS[o["t"]]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "jinja2_snippets.json"), "w", encoding="utf-8") as f:
    json.dump({"generator": "Python Jinja2 " + jinja2.__version__, "ctx": ctx, "cases": out}, f, ensure_ascii=False, indent=1)
    f.write("\n")
