// A service worker that answers pages like a Web K-style API worker: each `invoke` task gets
// a `result` task carrying an rpc error, then an ordinary one. Used by the e2e tests of the
// hook's service-worker messaging (the page's side: ServiceWorker.postMessage out, the
// container's message events in).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  const task = event.data;
  if (!task || task.type !== 'invoke') return;
  event.source.postMessage({ type: 'result', payload: { taskId: task.id, error: { type: 'FLOOD_WAIT_3', code: 420 } } });
  event.source.postMessage({ type: 'result', payload: { taskId: task.id + 1, result: { messages: [], count: 0 } } });
});
