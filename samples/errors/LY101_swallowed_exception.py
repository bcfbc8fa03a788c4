# sample-select: LY1, F
# Broad `except` whose body hides the error.
import json
import logging
import sys

log = logging.getLogger(__name__)


def load_config(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except Exception:  # expect: LY101
        pass


def parse_all(texts):
    out = []
    for text in texts:
        try:
            out.append(json.loads(text))
        except:  # expect: LY101
            continue
    return out


def read_settings(path):
    # 設定ファイルを読む 📄 (non-ASCII before a finding)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (ValueError, Exception) as exc:  # expect: LY101
        print(f"could not read {path}: {exc}")
        return {}


def fetch_count(rows):
    try:
        return len(rows)
    except BaseException:  # expect: LY101
        log.debug("count failed")
        return 0


def quiet_ellipsis(callback):
    try:
        callback()
    except Exception: ...  # expect: LY101


def returns_none(text):
    try:
        return json.loads(text)
    except Exception:  # expect: LY101
        return None


# Safe look-alikes below: none of these is reported.


def specific(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}


def logged_and_reraised(text):
    try:
        return json.loads(text)
    except Exception:
        log.exception("bad payload")
        raise


def logged_at_error_level(text):
    try:
        return json.loads(text)
    except Exception as exc:
        log.error("bad payload: %s", exc)
        return None


def wraps_the_error(text):
    try:
        return json.loads(text)
    except Exception as exc:
        raise RuntimeError("bad payload") from exc


def returns_an_error_object(text):
    try:
        return json.loads(text)
    except Exception as exc:
        return {"error": str(exc)}


def exits(text):
    try:
        return json.loads(text)
    except Exception as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)


class Resource:
    def close(self):
        log.info("closed")

    def __del__(self):
        # Errors in __del__ are ignored by Python anyway; swallowing them here is the idiom.
        try:
            self.close()
        except Exception:
            pass


def is_json(text) -> bool:
    # A yes/no question: any failure means "no".
    try:
        json.loads(text)
    except Exception:
        return False
    return True


def first_parsable(texts):
    for text in texts:
        try:
            value = json.loads(text)
        except Exception:
            continue
        else:
            return value
    return None


def explained(text):
    try:
        return json.loads(text)
    except Exception:  # expect: LY101
        # The payload is optional; a broken one is treated as absent.
        return None


def reviewed_for_ruff(text):
    try:
        return json.loads(text)
    except Exception:  # noqa: BLE001 - optional payload, absence is fine
        return None


def other_noqa_code(text):
    try:
        return json.loads(text)
    except Exception:  # noqa: E501  # expect: LY101
        return None
