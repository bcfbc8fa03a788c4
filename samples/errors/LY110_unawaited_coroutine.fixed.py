# sample-select: LY1, F
# Coroutines that are created and never awaited: the code in them never runs.
import asyncio


async def save(record):
    await asyncio.sleep(0)
    return record


class Store:
    async def flush(self):
        await asyncio.sleep(0)

    def sync_helper(self):
        return self

    async def close(self):
        await self.flush()  # expect: LY110
        self.sync_helper()
        await self.flush()


async def handler(record):
    await save(record)  # expect: LY110
    # 少し待つ ⏳
    await asyncio.sleep(1)  # expect: LY110
    return record


def sync_caller(record):
    save(record)  # expect: LY110


# Safe look-alikes below.


async def awaited(record):
    await save(record)
    await asyncio.sleep(1)


async def scheduled(record):
    task = asyncio.create_task(save(record))
    await asyncio.gather(save(record), task)


def returned(record):
    return save(record)


def run(record):
    asyncio.run(save(record))


async def later(record):
    pending = save(record)
    await pending
