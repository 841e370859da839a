"""YAML frontmatter that fails soft.

Invalid, oversized or alias-laden YAML costs the file its frontmatter metadata
(with a warning giving the line), never its highlights.
"""

from __future__ import annotations

from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

MAX_FRONTMATTER_CHARS = 64 * 1024
_HANDLER = YAMLHandler()


def read_frontmatter(text: str, warnings: list[tuple[int, str]]) -> tuple[dict[str, Any], str, int]:
    """Split off and load the frontmatter.

    Returns the metadata (empty when absent or unusable), the body, and the 1-based
    file line number of the body's first line.
    """
    if not _HANDLER.detect(text):
        return {}, text, 1
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        warnings.append((1, "frontmatter is not closed by a '---' line; read as text"))
        return {}, text, 1
    body_line0 = text.count("\n", 0, len(text) - len(body)) + 1
    if len(fm) > MAX_FRONTMATTER_CHARS:
        warnings.append((1, f"frontmatter is larger than {MAX_FRONTMATTER_CHARS // 1024} KB; ignored"))
        return {}, body, body_line0
    try:
        if "&" in fm and any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(fm, Loader=yaml.CSafeLoader)):
            warnings.append((1, "frontmatter uses YAML aliases; ignored"))
            return {}, body, body_line0
        meta = _HANDLER.load(fm)
    except RecursionError:
        warnings.append((1, "frontmatter is nested too deeply; ignored"))
        return {}, body, body_line0
    except (ValueError, TypeError, AttributeError, OverflowError) as error:
        # YAML that parses but holds a value Python cannot build (a 30 February, "!!int many")
        warnings.append((1, f"frontmatter has a value that cannot be read ({error}); its metadata is ignored"))
        return {}, body, body_line0
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        warnings.append((line, f"invalid YAML frontmatter ({problem}); its metadata is ignored"))
        return {}, body, body_line0
    if not isinstance(meta, dict):
        return {}, body, body_line0
    return meta, body, body_line0
