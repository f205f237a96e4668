"""The TAP emitter of the Python suites: `from tap import TAP`, then tap = TAP() and
tap(good, name, detail) for each line (good None: a skipped line), tap.plan() at the end, which
prints 1..n and returns the exit status."""


class TAP:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def __call__(self, good, name, detail=""):
        self.n += 1
        if good is None:
            print(f"ok {self.n} - {name} # SKIP {detail}")
            return
        print(f"{'ok' if good else 'not ok'} {self.n} - {name}")
        if not good:
            self.failed += 1
            lines = detail if isinstance(detail, (list, tuple)) else str(detail).strip().splitlines()[-15:]
            for line in lines:
                print(f"#   {line}")

    def plan(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0
