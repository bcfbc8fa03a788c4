# sample-select: LY1, F
# Fire-and-forget tasks that can be garbage collected mid-flight.
import asyncio
from asyncio import create_task

BACKGROUND = set()


async def work(n):
    await asyncio.sleep(n)


async def start():
    asyncio.create_task(work(1))  # expect: LY109
    asyncio.ensure_future(work(2))  # expect: LY109
    # バックグラウンド 🚀
    create_task(work(3))  # expect: LY109


async def on_loop():
    loop = asyncio.get_running_loop()
    loop.create_task(work(4))  # expect: LY109


# Safe look-alikes below.


async def stored():
    task = asyncio.create_task(work(1))
    await task


async def kept_in_a_set():
    task = asyncio.create_task(work(1))
    BACKGROUND.add(task)
    task.add_done_callback(BACKGROUND.discard)


async def awaited():
    await asyncio.create_task(work(1))


async def in_a_task_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work(1))


async def gathered():
    await asyncio.gather(asyncio.create_task(work(1)), work(2))
