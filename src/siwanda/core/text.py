import re

WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def count_words(text) -> int:
    """Words as people count them: "pelayanan publik" is 2, "e-KTP" is 1, numbers count. The
    live counter in the browser (proposal-editor.js) counts the same way."""
    return len(WORD.findall(text)) if isinstance(text, str) else 0
