"""Strings from clients that end up in a PostgreSQL query, stored or looked up.

PostgreSQL `text` cannot hold NUL (U+0000): a NUL that reached a query would fail there, a 500.
`Text` refuses it at validation instead, a 422 like any other invalid input, and its pattern puts
the rule in the spec.
"""

from typing import Annotated

from pydantic import StringConstraints

NO_NUL = r"^[^\x00]*$"

Text = Annotated[str, StringConstraints(pattern=NO_NUL)]
