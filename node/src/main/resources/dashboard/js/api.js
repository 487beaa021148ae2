// The node's REST API, same origin. Errors carry the API's own message.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function get(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new ApiError(response.status, `${path}: ${message}`);
  }
  return body;
}

const blockCache = new Map();

/** A committed block by height; committed blocks never change, so they are cached. */
export async function block(height) {
  const key = Number(height);
  if (!blockCache.has(key)) {
    blockCache.set(key, get(`/v1/blocks/${key}`).catch((e) => {
      blockCache.delete(key);
      throw e;
    }));
    if (blockCache.size > 400) {
      blockCache.delete(blockCache.keys().next().value);
    }
  }
  return blockCache.get(key);
}

/** The last n blocks up to height, newest first. */
export async function recentBlocks(height, n) {
  const heights = [];
  for (let h = height; h >= 1 && heights.length < n; h--) heights.push(h);
  return Promise.all(heights.map(block));
}
