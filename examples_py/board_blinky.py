# A board program: a debounced button, a blinking LED, and a sensor sampled
# periodically and averaged, as four tasks that talk through a notification
# and a MessageQueue. Each press of the button makes the LED blink faster; the
# third press switches everything off and the program ends.
#
# On a MicroPython or CircuitPython board it uses the pins set in
# board_shim.py (copy both files to the board); on the unix port board_shim
# simulates the hardware, deterministically, so this runs in `make test`.
import pyRTOS
import board_shim as hw

HALF_PERIODS_MS = (500, 200, 50)    # LED on/off time, one per mode
POLL_MS = 10                        # button polling period
STABLE_READS = 3                    # equal reads in a row that make a debounced level
SAMPLE_MS = 50                      # sensor sampling period
WINDOW = 4                          # samples per average
REPORT = 128                        # message types from 128 up are the user's

averages = pyRTOS.MessageQueue(capacity=2)
running = [True]


def button_task(self):
    pin = hw.button()
    yield
    level, count, presses = 1, 0, 0
    while running[0]:
        yield [hw.sleep_ms(POLL_MS)]
        raw = pin.value()
        count = count + 1 if raw != level else 0
        if count < STABLE_READS:
            continue
        level, count = raw, 0
        if level == 0:                          # pressed (the pull-up reads 1 when released)
            presses += 1
            print("button: press", presses)
            if presses == len(HALF_PERIODS_MS):
                running[0] = False
            blinker.notify_set_value(index=0, state=1, value=presses)


def blink_task(self):
    led = hw.led()
    yield
    mode, lit, toggles = 0, 0, 0
    while True:
        # Wait for the next toggle, or for the button to change the mode.
        yield [self.wait_for_notification(index=0, state=1), hw.sleep_ms(HALF_PERIODS_MS[mode])]
        if self.notify_get_state(0) == 1:
            print("LED: toggled %d times at %d ms" % (toggles, HALF_PERIODS_MS[mode]))
            mode, toggles = self.notify_get_value(0), 0
            if mode == len(HALF_PERIODS_MS):
                led.value(0)
                print("LED: off")
                return
            continue
        lit = 1 - lit
        led.value(lit)
        toggles += 1


def sensor_task(self):
    adc = hw.sensor()
    yield
    window = []
    while running[0]:
        yield [hw.sleep_ms(SAMPLE_MS)]
        window.append(adc.read_u16())
        if len(window) == WINDOW:
            yield [averages.send(pyRTOS.Message(REPORT, self, None, sum(window) // WINDOW))]
            window = []
    yield [averages.send(pyRTOS.Message(pyRTOS.QUIT, self, None))]


def report_task(self):
    yield
    while True:
        got = []
        yield [averages.recv(got)]
        msg = got[0]
        if msg.type == pyRTOS.QUIT:
            print("sensor: stopped")
            return
        print("sensor: average", msg.message)


blinker = pyRTOS.Task(blink_task, priority=1, name="blink", notifications=1)
pyRTOS.add_task(pyRTOS.Task(button_task, priority=0, name="button"))
pyRTOS.add_task(blinker)
pyRTOS.add_task(pyRTOS.Task(sensor_task, priority=2, name="sensor"))
pyRTOS.add_task(pyRTOS.Task(report_task, priority=3, name="report"))
print("board:", hw.KIND)
pyRTOS.start()
print("done")
