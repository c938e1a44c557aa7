"""SplitMix64 (Steele, Lea & Flood 2014) in Python integers masked to 64 bits: the generator the Swift
code draws resamples and random lists from (`SplitMix64` in SSLMemModel), reimplemented independently for the
reference scripts in this folder (select_reference.py, conventions_reference.py, study_reference.py).

next(): state += 0x9E3779B97F4A7C15, then two xor-shift-multiply rounds and a final xor-shift of the state.
"""

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


# Published outputs of splitmix64.c for seed 1234567.
_check = SplitMix64(1234567)
assert [_check.next() for _ in range(3)] == [6457827717110365317, 3203168211198807973, 9817491932198370423]
