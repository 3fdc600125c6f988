// The task port both sides of the Web K-style demo use. Written after Web K's
// src/lib/superMessagePort.ts (morethanwords/tweb @010effed), not copied from it:
// - every message is a task {type, payload, id, transfer}; ids start at Math.random() and grow
//   by one ("decimals to prevent tabs from overlapping ids"), so they are fractional;
// - tasks wait one microtask and then travel as {type: 'batch', payload: [task...]}, even a lone
//   one; a task with a transfer list is posted alone (never batched);
// - invoke {type: 'invoke', payload: {type, payload, withAck, void}}; the other side answers
//   {type: 'result', payload: {taskId, result | error}}; with withAck it first sends
//   {type: 'ack', payload: {taskId, cached, result? | error?}}: a listener that returned a value
//   or threw at once answers with the ack alone (cached: true), a promise with cached: false
//   and then the result; void invokes get no answer.

export class TaskPort {
  constructor(port) {
    this.port = port;
    this.taskId = Math.random();
    this.awaiting = new Map();
    this.listeners = new Map();
    this.pending = [];
    this.releasing = false;
    port.addEventListener('message', (event) => this.onTask(event.data));
    port.start?.();
  }

  on(type, listener) {
    this.listeners.set(type, listener);
  }

  createTask(type, payload, transfer) {
    return { type, payload, id: this.taskId++, transfer };
  }

  push(task) {
    this.pending.push(task);
    if (this.releasing) return;
    this.releasing = true;
    queueMicrotask(() => {
      this.releasing = false;
      const tasks = this.pending;
      this.pending = [];
      const out = [];
      let batch;
      for (const task of tasks) {
        if (task.transfer) {
          batch = undefined;
          out.push(task);
        } else {
          if (!batch) out.push((batch = this.createTask('batch', [])));
          batch.payload.push(task);
        }
      }
      for (const task of out) this.port.postMessage(task, task.transfer ?? []);
    });
  }

  invoke(type, payload, withAck = false) {
    return new Promise((resolve, reject) => {
      const task = this.createTask('invoke', { type, payload, withAck, void: undefined });
      this.awaiting.set(task.id, { resolve, reject });
      this.push(task);
    });
  }

  invokeVoid(type, payload) {
    this.push(this.createTask('invoke', { type, payload, withAck: undefined, void: true }));
  }

  onTask(task) {
    switch (task.type) {
      case 'batch':
        for (const inner of task.payload) this.onTask(inner);
        break;
      case 'result': {
        const deferred = this.awaiting.get(task.payload.taskId);
        if (!deferred) return;
        this.awaiting.delete(task.payload.taskId);
        if ('error' in task.payload) deferred.reject(task.payload.error);
        else deferred.resolve(task.payload.result);
        break;
      }
      case 'ack': {
        const deferred = this.awaiting.get(task.payload.taskId);
        if (!deferred) return;
        const { payload } = task;
        const result = payload.cached
          ? 'result' in payload
            ? Promise.resolve(payload.result)
            : Promise.reject(payload.error)
          : new Promise((resolve, reject) => this.awaiting.set(payload.taskId, { resolve, reject }));
        if (payload.cached) this.awaiting.delete(payload.taskId);
        result.catch(() => undefined);
        deferred.resolve({ cached: payload.cached, result });
        break;
      }
      case 'invoke':
        this.processInvoke(task);
        break;
      default:
        break;
    }
  }

  async processInvoke(task) {
    const inner = task.payload;
    const resultPayload = inner.void ? null : { taskId: task.id };
    const ack = inner.withAck ? this.createTask('ack', { taskId: task.id, cached: true }) : null;
    try {
      const listener = this.listeners.get(inner.type);
      if (!listener) throw new Error('no listener');
      let result = listener(inner.payload);
      if (inner.void) return;
      const isPromise = result instanceof Promise;
      if (ack) {
        ack.payload.cached = !isPromise;
        if (!isPromise) ack.payload.result = result;
        this.push(ack);
        if (!isPromise) return;
      }
      result = await result;
      if (result && result.transferables) {
        const resultTask = this.createTask('result', { ...resultPayload, result: result.value }, result.transferables);
        this.push(resultTask);
        return;
      }
      resultPayload.result = result;
    } catch (error) {
      if (inner.void) return;
      if (ack && ack.payload.cached) {
        ack.payload.error = error;
        this.push(ack);
        return;
      }
      resultPayload.error = error;
    }
    this.push(this.createTask('result', resultPayload));
  }
}
