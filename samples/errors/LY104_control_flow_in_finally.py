# sample-select: LY1, F
# `return`, `break` and `continue` inside `finally` swallow the exception in flight.
import json


def load(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    finally:
        return {}  # expect: LY104


def first_good(paths):
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                json.load(handle)
        finally:
            # 次のファイルへ ➡️
            continue  # expect: LY104
    return None


def drain(queue):
    while queue:
        try:
            queue.pop()
        finally:
            if not queue:
                break  # expect: LY104


def nested_try(path):
    try:
        return path.read_text()
    finally:
        try:
            path.unlink()
        finally:
            return None  # expect: LY104


# Safe look-alikes below.


def loop_inside_finally(paths):
    try:
        return paths[0]
    finally:
        for path in paths:
            if path:
                break
            continue


def function_inside_finally(items):
    try:
        return items.pop()
    finally:

        def helper():
            return len(items)

        items.append(helper())


def return_after_finally(items):
    try:
        items.pop()
    finally:
        items.clear()
    return items
