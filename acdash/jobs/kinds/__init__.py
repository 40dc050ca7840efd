"""Each object type's ``Kind`` registers itself in ``contract.KINDS`` when imported here."""

from . import deal as deal
from . import task as task
