"""Keep typer from importing pydantic to coerce plain string and flag values.

typer 0.2x runs every command-line value (even ``--help``'s) through a
pydantic ``TypeAdapter``; the first one imports pydantic, about 100 ms,
more than a whole ``ffs-tools lint`` of a clean file, which a pre-commit
hook pays on every commit. For ``str``, ``bool`` and ``list[str]`` values
that coercion is the identity (click has already parsed them), so those
parameters get a verbatim coercion instead; every other type (``Path``,
``int`` ...) keeps typer's own. On a typer without this machinery
:func:`install` does nothing.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin


def _plain(annotation: object) -> bool:
    return annotation in (str, bool) or (get_origin(annotation) is list and get_args(annotation) == (str,))


def install() -> None:
    try:
        from typer import core
        from typer._coercion import RuntimeParam
    except ImportError:  # pragma: no cover - typer without runtime coercion
        return
    param_class: Any = getattr(core, "_TyperParameter", None)
    original = getattr(param_class, "get_runtime_param", None)
    if original is None or getattr(original, "_ffs_tools_verbatim", False):
        return

    class Verbatim(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return list(value) if isinstance(value, tuple) else value

    def get_runtime_param(self: Any) -> Any:
        desc = getattr(self, "type_descriptor", None)
        if getattr(self, "_runtime_param", None) is None and desc is not None and _plain(desc.annotation):
            self._runtime_param = Verbatim(parameter_info=desc.parameter_info, annotation=desc.annotation)
        return original(self)

    get_runtime_param._ffs_tools_verbatim = True  # type: ignore[attr-defined]
    param_class.get_runtime_param = get_runtime_param
