"""The WHERE clause both retrievers share: index, locale, permissions and filters."""

from __future__ import annotations

from .base import Scope


def scope_clause(scope: Scope, alias: str = "d") -> tuple[str, list]:
    """SQL and parameters restricting rows to what this visitor may see and asked for."""
    clauses = [f"{alias}.index_name = %s", f"{alias}.locale = %s"]
    params: list = [scope.index_name, scope.locale]
    if not scope.see_all:
        allowed = [f"{alias}.audience = 'public'"]
        if scope.authenticated:
            allowed.append(f"{alias}.audience = 'customers'")
            if scope.group_ids:
                allowed.append(
                    f"({alias}.audience = 'groups' AND {alias}.audience_groups && %s::int[])"
                )
                params.append(list(scope.group_ids))
        clauses.append("(" + " OR ".join(allowed) + ")")
    if scope.sources:
        clauses.append(f"{alias}.source = ANY(%s)")
        params.append(list(scope.sources))
    if scope.category:
        clauses.append(f"({alias}.category = %s OR {alias}.category LIKE %s)")
        escaped = scope.category.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [scope.category, escaped + "/%"]
    if scope.product_area:
        clauses.append(f"{alias}.product_area = %s")
        params.append(scope.product_area)
    return " AND ".join(clauses), params
