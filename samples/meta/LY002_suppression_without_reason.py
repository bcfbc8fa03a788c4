# Suppressions must say why.
import json


def load(text):
    try:
        return json.loads(text)
    except Exception:  # leery: ignore[LY101]  # expect: LY002
        return None


def load_with_placeholder(text):
    try:
        return json.loads(text)
    except Exception:  # leery: ignore[LY101] -- <reason>  # expect: LY002
        return None


def load_explained(text):
    # Safe look-alike: a real reason, in Japanese too (日本語の理由でもよい).
    try:
        return json.loads(text)
    except Exception:  # leery: ignore[LY101] -- 入力は任意; 失敗時は None を返す仕様
        return None
