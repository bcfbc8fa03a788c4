# sample-select: LY3
"""Helpers whose whole body re-implements the standard library. Names are deliberately
unhelpful: matching is on structure."""

import datetime
import json
import os
import random
import re
import itertools
import collections
import math
import pathlib


def helper_a(values):  # expect: LY303
    # Ünïcödé: a sum loop.
    return sum(values)


def helper_b(orders):  # expect: LY303
    return sum(order.price * order.quantity for order in orders)


def helper_c(nested):  # expect: LY303
    return list(itertools.chain.from_iterable(nested))


def helper_d(words):  # expect: LY303
    return dict(collections.Counter(words))


def helper_e(items):  # expect: LY303
    return any(item is None for item in items)


def helper_f(items):  # expect: LY303
    return all(item.valid for item in items)


def helper_g(items):  # expect: LY303
    return list(dict.fromkeys(items))


def helper_h(factors):  # expect: LY303
    return math.prod(factors)


def helper_i(path):  # expect: LY303
    os.makedirs(path, exist_ok=True)
    return path


def helper_j(path):  # expect: LY303
    return pathlib.Path(path).read_text(encoding="utf-8")


def helper_k(text, prefix):  # expect: LY303
    return text.removeprefix(prefix)


def helper_l(text, suffix):  # expect: LY303
    return text.removesuffix(suffix)


def helper_m(a, b):  # expect: LY303
    return abs(a - b) < 1e-9


def helper_n(samples):  # expect: LY303
    return sum(samples) / len(samples)


def helper_o(items, size):  # expect: LY303
    return [items[i:i + size] for i in range(0, len(items), size)]


def helper_p(records, key):  # expect: LY303
    groups = {}
    for record in records:
        groups.setdefault(record[key], []).append(record)
    return groups


_RESULTS = {}


def helper_q(n):  # expect: LY303
    if n in _RESULTS:
        return _RESULTS[n]
    value = n * n + 1
    _RESULTS[n] = value
    return value


def helper_r(arg):  # expect: LY303
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def helper_s(text):  # expect: LY303
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def helper_t(params):  # expect: LY303
    return "&".join(f"{key}={value}" for key, value in params.items())


def helper_u(length):  # expect: LY303
    return "".join(random.choice("0123456789abcdef") for _ in range(length))


def helper_v(value):  # expect: LY303
    return datetime.datetime.strptime(value, "%Y-%m-%d")


def helper_w(address):  # expect: LY303
    parts = address.split(".")
    if len(parts) != 4:
        return False
    return all(part.isdigit() and 0 <= int(part) <= 255 for part in parts)


def helper_x(text):  # expect: LY303
    lines = text.splitlines()
    margin = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[margin:] for line in lines)


def helper_y(values):  # expect: LY303
    return max(values, default=None)


def helper_z(src, dst):  # expect: LY303
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        source, target = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(source):
            helper_z(source, target)
        else:
            import shutil
            shutil.copy2(source, target)


def helper_aa(mapping, key, default):  # expect: LY303
    return mapping.get(key, default)


def helper_ab(a, b):  # expect: LY303
    while b:
        a, b = b, a % b
    return a


def helper_ac(obj):  # expect: LY303
    return json.loads(json.dumps(obj))


def helper_ad(items):  # expect: LY303
    return list(zip(items, items[1:]))


def helper_ae(values):  # expect: LY303
    return list(itertools.accumulate(values))


def helper_af(text, width):  # expect: LY303
    return text if len(text) <= width else text[:width - 3] + "..."


def helper_ag(path):  # expect: LY303
    return path.replace("~", os.environ["HOME"])


def first_named(items, wanted):
    # A search loop: `next(...)` would be no clearer, so it is not reported.
    for item in items:
        if item.name == wanted:
            return item
    return None


def helper_ai(items):  # expect: LY303
    return sum(1 for item in items if item.done)


def helper_aj(n):  # expect: LY303
    return math.factorial(n)


def helper_ak(seq):  # expect: LY303
    return list(reversed(seq))


def helper_al(left, right):  # expect: LY303
    return list(zip(left, right))


def helper_am(path, text):  # expect: LY303
    pathlib.Path(path).write_text(text, encoding="utf-8")


def helper_an(src, dst):  # expect: LY303
    with open(src, "rb") as reader, open(dst, "wb") as writer:
        writer.write(reader.read())


def helper_ao(path):  # expect: LY303
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if os.path.isdir(full):
            helper_ao(full)
        else:
            os.remove(full)
    os.rmdir(path)


def helper_ap(root, ext):  # expect: LY303
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(ext):
                found.append(os.path.join(folder, name))
    return found


def helper_aq(program):  # expect: LY303
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, program)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def helper_ar(name):  # expect: LY303
    path = os.path.join("/tmp", name + str(random.randint(0, 9999)))
    os.makedirs(path)
    return path


def helper_as(text, width):  # expect: LY303
    return "0" * (width - len(text)) + text


def helper_at(seq, x):  # expect: LY303
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if seq[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def helper_au(items):  # expect: LY303
    for i in range(len(items) - 1, 0, -1):
        j = random.randint(0, i)
        items[i], items[j] = items[j], items[i]


# Look-alikes that are not re-implementations: left alone.
def running_max_with_index(values):
    best, where = None, -1
    for i, value in enumerate(values):
        if best is None or value > best:
            best, where = value, i
    return best, where


def sum_from_zero_but_logs(values, log):
    total = 0
    for v in values:
        total += v
        log.append(total)
    return total


def max_with_floor(values):
    # A start value of 0 is a floor, not max(): negative inputs give 0.
    best = 0
    for value in values:
        if value > best:
            best = value
    return best


def prefix_check(text, prefix):
    if text.startswith(prefix):
        return text[len(prefix) + 1:]
    return text


def join_path(parts):
    return "/".join(p.strip("/") for p in parts)


def first_word(text):
    match = re.match(r"\w+", text)
    return match.group(0) if match else ""


def outer(values):
    def inner_sum(xs):
        t = 0
        for x in xs:
            t += x
        return t

    return inner_sum(values) * 2
