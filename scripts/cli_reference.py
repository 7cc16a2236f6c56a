"""Write docs/CLI.md, the command-line reference, from the parser itself.

    python scripts/cli_reference.py          # rewrite docs/CLI.md
    python scripts/cli_reference.py --check  # exit 1 if docs/CLI.md is out of date

Every command and subcommand of ``python -m analytics`` with its help, usage
and options, read from :func:`analytics.cli.main.build_parser`: the reference
cannot drift from ``--help`` (tests/test_cli_reference.py fails when it does).
The text is built from the parser's actions rather than from ``--help``
output, so it does not depend on the terminal width or the Python version.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from analytics.cli.main import build_parser  # noqa: E402 - after the sys.path set-up above

OUT = ROOT / "docs" / "CLI.md"
REGENERATE = "python scripts/cli_reference.py"

HEADER = f"""# Command line: `python -m analytics`

<!-- Generated from the parser by scripts/cli_reference.py: do not edit by hand.
     After changing a command, run `{REGENERATE}`. -->

Every command and option, as `python -m analytics COMMAND --help` prints
them (help texts are in Vietnamese, as the users read them). Errors are one
line on stderr; exit codes: 0 done, 1 failed, 2 wrong data or arguments.
"""


def _help(action: argparse.Action, prog: str) -> str:
    """The action's help with argparse's %-placeholders expanded (``80%%`` -> ``80%``)."""
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    return argparse.HelpFormatter(prog)._expand_help(action)


def _value(action: argparse.Action) -> str:
    """What follows an option on the command line (``--db DB``, ``--format {table,json}``)."""
    if action.nargs == 0:
        return ""
    if action.metavar:
        name = action.metavar
    elif action.choices:
        name = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        name = action.dest.upper() if action.option_strings else action.dest
    if action.nargs == "+":
        return f"{name} [{name} ...]"
    if action.nargs in ("?", "*"):
        return f"[{name}]"
    return name


def _spelling(action: argparse.Action) -> str:
    if not action.option_strings:
        return _value(action)
    value = _value(action)
    return " ".join([", ".join(action.option_strings), value]) if value else ", ".join(action.option_strings)


def _usage(parser: argparse.ArgumentParser, actions: list[argparse.Action]) -> str:
    words = [parser.prog]
    for action in actions:
        if not action.option_strings:
            words.append(_value(action))
            continue
        text = " ".join(filter(None, [action.option_strings[0], _value(action)]))
        words.append(text if action.required else f"[{text}]")
    return " ".join(words)


def _notes(action: argparse.Action) -> str:
    notes = []
    if action.option_strings and action.required:
        notes.append("required")
    if action.choices and action.metavar:  # choices hidden behind a metavar: list them
        notes.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
    if action.nargs != 0 and action.default not in (None, argparse.SUPPRESS) and action.option_strings:
        notes.append(f"default `{action.default}`")
    return "; ".join(notes)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(parser: argparse.ArgumentParser, path: list[str], summary: str) -> list[str]:
    level = "#" * min(len(path) + 1, 4)
    lines = [f"{level} `{' '.join(path)}`", ""]
    about = parser.description or summary
    if about:
        lines += [about, ""]
    actions = [a for a in parser._actions
               if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if subparsers:
        # The subcommand itself stands in the usage, as its own section lists it.
        lines += ["```", _usage(parser, actions) + f" {subparsers[0].metavar or 'COMMAND'} ...", "```", ""]
    else:
        lines += ["```", _usage(parser, actions), "```", ""]
    if actions:
        lines += ["| Argument | Meaning | Notes |", "|---|---|---|"]
        for action in actions:
            lines.append(f"| `{_cell(_spelling(action))}` | {_cell(_help(action, parser.prog))} "
                         f"| {_cell(_notes(action))} |")
        lines.append("")
    for sub in subparsers:
        summaries = {a.dest: a.help or "" for a in sub._choices_actions}
        lines += ["| Command | What it does |", "|---|---|"]
        lines += [f"| `{name}` | {_cell(summaries.get(name, ''))} |" for name in sub.choices]
        lines.append("")
        for name, child in sub.choices.items():
            lines += _section(child, [*path, name], summaries.get(name, ""))
    return lines


def render() -> str:
    """docs/CLI.md as the parser describes the commands today."""
    parser = build_parser()
    lines = [HEADER, *_section(parser, ["python -m analytics"], "")]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--check", action="store_true", help="only check that docs/CLI.md is up to date")
    check = args.parse_args(argv).check
    text = render()
    if check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run `{REGENERATE}`", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
