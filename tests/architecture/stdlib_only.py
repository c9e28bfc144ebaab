"""An import-linter contract type: every module of a package imports only the standard library and
the package itself (pyproject.toml [tool.importlinter]).

The built-in `forbidden` contract takes a list of what may not be imported, which would need every
third-party distribution named and kept current; the training engine's rule is an allowlist.
"""

import sys

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class StdlibOnlyContract(Contract):
    type_name = "stdlib_only"

    source_package = fields.ModuleField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        package = self.source_package.name
        violations = sorted(
            (importer, imported, detail["line_number"])
            for importer in graph.find_descendants(package) | {package}
            for imported in graph.find_modules_directly_imported_by(importer)
            if not _allowed(imported, package)
            for detail in graph.get_import_details(importer=importer, imported=imported)
        )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, line_number in check.metadata["violations"]:
            output.print_error(f"{importer} imports {imported} (l.{line_number})", bold=False)
        output.new_line()


def _allowed(imported: str, package: str) -> bool:
    return (
        imported == package
        or imported.startswith(f"{package}.")
        or imported.split(".")[0] in sys.stdlib_module_names
    )
