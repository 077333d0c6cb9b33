"""The WHERE clause both retrievers share: index, locale, permissions and filters."""

from __future__ import annotations

from .base import Audience, Scope


def audience_clause(audiences: tuple[tuple[str, Audience], ...], alias: str) -> tuple[str, list]:
    """Public rows, plus per source what its audience filter lets this visitor see. Sources
    with the same filter share one condition, so an anonymous visitor's clause is the one
    comparison ``audience = 'public'``."""
    by_audience: dict[Audience, list[str]] = {}
    for source, audience in audiences:
        by_audience.setdefault(audience, []).append(source)
    allowed, params = [f"{alias}.audience = 'public'"], []
    for audience, sources in by_audience.items():
        if audience.see_all:
            allowed.append(f"{alias}.source = ANY(%s)")
            params.append(sources)
            continue
        parts, part_params = [], []
        if audience.authenticated:
            parts.append(f"{alias}.audience = 'customers'")
        if audience.group_ids:
            parts.append(f"({alias}.audience = 'groups' AND {alias}.audience_groups && %s::int[])")
            part_params.append(list(audience.group_ids))
        if parts:
            allowed.append(f"({alias}.source = ANY(%s) AND ({' OR '.join(parts)}))")
            params += [sources, *part_params]
    return "(" + " OR ".join(allowed) + ")", params


def scope_clause(scope: Scope, alias: str = "d") -> tuple[str, list]:
    """SQL and parameters restricting rows to what this visitor may see and asked for."""
    clauses = [f"{alias}.index_name = %s", f"{alias}.locale = %s"]
    params: list = [scope.index_name, scope.locale]
    if scope.audiences:
        clause, audience_params = audience_clause(scope.audiences, alias)
        clauses.append(clause)
        params += audience_params
    elif not scope.see_all:
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
