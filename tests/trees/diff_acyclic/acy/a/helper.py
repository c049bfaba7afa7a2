# A second import from a to b, also on the a -> b -> c -> a cycle.
import acy.b
