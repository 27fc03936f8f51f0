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
ctx = {"s": "  Hello World</think>tail  ", "d": {"b": 1, "a": "x", "return": "r", "f": 1.5, "n": None, "t": True},
       "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}, {"role": "user", "content": "again"}],
       "e": "", "flag": False, "big": 1e20, "u": "é\u00a0x\u00a0"}
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
 "{{ 'x' * 3 }} {{ 3 > 2 and 1 < 2 }} {{ 1 == 1.0 }} {{ -1 }} {{ 5 - 7 }}",
]
out = []
for t in snips:
    try: r = {"ok": env.from_string(t).render(**ctx)}
    except jinja2.exceptions.TemplateError as ex: r = {"raise": str(ex)}
    out.append({"t": t, **r})
GAPS = {
 "{{ true }} {{ false }} {{ none }} {{ d.n }}": "a null prints as nothing: Jinjava cannot tell None from undefined",
 "{{ d.get('a') }} {{ d.get('zz', 'dflt') }} {{ d.get('zz') }} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}": "a null prints as nothing: Jinjava cannot tell None from undefined",
 "{{ 'a' ~ 1 ~ none ~ true }}": "~ uses Jinjava's string conversion for None/booleans",
 "{{ [3,1,2]|sort }} {{ [3,1,2]|max }} {{ [1,2,3]|first }} {{ [1,2,3]|last }} {{ [1,2]|reverse|list }} {{ ['a','b']|join }}": "no max/min filter (rejected with a clear error)",
 "{{ 'x' * 3 }} {{ 3 > 2 and 1 < 2 }} {{ 1 == 1.0 }} {{ -1 }} {{ 5 - 7 }}": "string repetition with * is not supported",
}
for o in out:
    if o["t"] in GAPS: o["gap"] = GAPS[o["t"]]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "jinja2_snippets.json"), "w", encoding="utf-8") as f:
    json.dump({"generator": "Python Jinja2 " + jinja2.__version__, "ctx": ctx, "cases": out}, f, ensure_ascii=False, indent=1)
    f.write("\n")
