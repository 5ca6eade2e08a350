# The hardware board_blinky.py uses: a button, an LED and an analog sensor,
# plus sleep_ms(), the condition its tasks wait on.
#
# - MicroPython board: machine.Pin / machine.ADC, sleep_ms = pyRTOS.timeout.
# - CircuitPython board: digitalio / analogio on board.* pins.
# - Anywhere else (the unix port): a simulation that needs no hardware and is
#   deterministic: a simulated clock advances 1 ms per scheduler loop (a
#   service routine), sleep_ms() waits on that clock, the button follows a
#   script of presses (with contact bounce) and the sensor a fixed signal.
#
# Pins (edit for your board): a push button from BUTTON to GND (internal
# pull-up, so pressed reads 0), an LED on LED, a sensor (e.g. a potentiometer)
# on the ADC pin SENSOR. The defaults suit a Raspberry Pi Pico.
import pyRTOS

BUTTON = 14     # GP14
LED = 25        # the Pico's on-board LED ("LED" on a Pico W)
SENSOR = 26     # GP26 = ADC0

try:
    from machine import ADC, Pin

    KIND = "MicroPython"

    def button():
        return Pin(BUTTON, Pin.IN, Pin.PULL_UP)

    def led():
        return Pin(LED, Pin.OUT)

    def sensor():
        return ADC(Pin(SENSOR))

    def sleep_ms(ms):
        return pyRTOS.timeout(ms / 1000)

except ImportError:
    try:
        import analogio
        import board
        import digitalio

        KIND = "CircuitPython"

        class _Input:
            def __init__(self, pin):
                self._io = digitalio.DigitalInOut(pin)
                self._io.switch_to_input(pull=digitalio.Pull.UP)

            def value(self):
                return int(self._io.value)

        class _Output:
            def __init__(self, pin):
                self._io = digitalio.DigitalInOut(pin)
                self._io.switch_to_output()

            def value(self, level):
                self._io.value = bool(level)

        class _Analog:
            def __init__(self, pin):
                self._io = analogio.AnalogIn(pin)

            def read_u16(self):
                return self._io.value

        def button():
            return _Input(getattr(board, "GP%d" % BUTTON))

        def led():
            return _Output(board.LED)

        def sensor():
            return _Analog(getattr(board, "GP%d" % SENSOR))

        def sleep_ms(ms):
            return pyRTOS.timeout(ms / 1000)

    except ImportError:
        KIND = "simulation"
        now_ms = [0]

        def _tick():
            now_ms[0] += 1

        pyRTOS.add_service_routine(_tick)

        # (time pressed, time released), in ms; each edge bounces for 7 ms.
        PRESSES = ((1100, 1300), (2150, 2280), (2900, 3050))
        BOUNCE = (0, 2, 3, 5, 7)

        def _level(t):
            level = 1
            for down, up in PRESSES:
                for edge, settled in ((down, 0), (up, 1)):
                    if t >= edge:
                        # the contact flips at each bounce time: after an odd
                        # number of flips it is at the new level
                        flips = sum(1 for b in BOUNCE if t >= edge + b)
                        level = settled if flips % 2 else 1 - settled
            return level

        class _Button:
            def value(self):
                return _level(now_ms[0])

        class _Led:
            def __init__(self):
                self.level = 0

            def value(self, level):
                self.level = level

        class _Sensor:
            # A slow ramp with a little noise, in 16-bit ADC counts.
            def read_u16(self):
                t = now_ms[0]
                return 30000 + 10 * (t // 100) + (t * 7919) % 400 - 200

        def button():
            return _Button()

        def led():
            return _Led()

        def sensor():
            return _Sensor()

        def _elapsed(deadline):
            while True:
                yield now_ms[0] >= deadline

        def sleep_ms(ms):
            return _elapsed(now_ms[0] + ms)
