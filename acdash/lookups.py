"""``__in`` on integer columns ignores values beyond the database's integer range.

Django already treats an out-of-range ``exact`` or comparison as matching nothing, but not
``in``: SQLite then raises OverflowError (a 500) for a 20-digit id typed into any
multi-choice form or query string. Out of range, a value matches no row, so it is dropped.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
