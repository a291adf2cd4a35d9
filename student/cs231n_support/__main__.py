"""A student's commands: ``python -m cs231n_support validate NOTEBOOK`` and ``download-cifar10``."""
import argparse
import sys
from pathlib import Path

from .i18n import t


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cs231n_support",
                                     description=t("The CS231n foundations course: a student's commands."))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("validate", help=t("run a notebook's visible tests before submitting"))
    p.add_argument("notebook", type=Path)
    p = sub.add_parser("download-cifar10", help=t("download and verify CIFAR-10 (170 MB) into the data cache"))
    p.add_argument("--data-root", type=Path, default=None,
                   help=t("where to put it (default: $CS231N_DATA, else ~/.cache/cs231n)"))
    args = parser.parse_args(argv)
    if args.command == "validate":
        from .validate import validate
        ok, report = validate(args.notebook)
        print(report)
        return 0 if ok else 1
    from .data import download_cifar10
    print(t("CIFAR-10 is ready in {folder}", folder=download_cifar10(args.data_root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
