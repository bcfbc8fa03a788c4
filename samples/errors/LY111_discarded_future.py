# sample-select: LY1, F
# Futures thrown away with the errors they hold.
import asyncio
from concurrent.futures import ThreadPoolExecutor, as_completed


def process(item):
    return item * 2


def run_all(items):
    with ThreadPoolExecutor() as pool:
        for item in items:
            pool.submit(process, item)  # expect: LY111


def map_all(items):
    # 全部まとめて処理 ⚙️
    with ThreadPoolExecutor(max_workers=4) as pool:
        pool.map(process, items)  # expect: LY111


class Worker:
    def __init__(self):
        self._executor = ThreadPoolExecutor()

    def start(self, item):
        self._executor.submit(process, item)  # expect: LY111


async def fetch_all(coros):
    await asyncio.gather(*coros, return_exceptions=True)  # expect: LY111


# Safe look-alikes below.


def checked(items):
    with ThreadPoolExecutor() as pool:
        futures = [pool.submit(process, item) for item in items]
        for future in as_completed(futures):
            future.result()


def consumed(items):
    with ThreadPoolExecutor() as pool:
        return list(pool.map(process, items))


async def looked_at(coros):
    results = await asyncio.gather(*coros, return_exceptions=True)
    return [r for r in results if isinstance(r, Exception)]


async def raising(coros):
    await asyncio.gather(*coros)


def builtin_map(items):
    map(print, items)


async def shut_down(tasks):
    for task in tasks:
        task.cancel()
    # Waiting for cancelled tasks to finish: their CancelledErrors are expected.
    await asyncio.gather(*tasks, return_exceptions=True)
