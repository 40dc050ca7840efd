"""Django's ModelBackend, with the user of every request read by SQL written once."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection


@cache
def _sql() -> tuple[str, list[str]]:
    meta = get_user_model()._meta
    fields = meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    return f"SELECT {columns} FROM {table} WHERE {pk} = %s", [f.attname for f in fields]


class UserBackend(ModelBackend):
    """Every request loads its user (``get_user``): building and compiling that one ORM
    query cost more CPU than the database's answer (as the access check's did, see
    acdash/accounts/access.py). Logging in and permissions are ModelBackend's own."""

    def get_user(self, user_id):
        sql, names = _sql()
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session naming no valid id: nobody
            return None
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(connection.alias, names, row)
        return user if self.user_can_authenticate(user) else None
