// The timeline's slots: filtered records plus a divider for each page load kept by
// "Preserve log". Markers are few, so a slot maps to a record with a short scan of them.

import type { ErrorRecord } from '../../core/record.ts';
import type { NavigationMarker } from '../../shared/messages.ts';
import { lowerBoundById } from './lower-bound.ts';

export interface PlacedMarker {
  marker: NavigationMarker;
  /** The slot the divider occupies. */
  slot: number;
}

export interface TimelineLayout {
  slotCount: number;
  markers: PlacedMarker[];
}

/** Places each marker before the first shown record with id >= beforeId (none after the last). */
export function layoutTimeline(records: readonly ErrorRecord[], markers: readonly NavigationMarker[]): TimelineLayout {
  const placed: PlacedMarker[] = [];
  const sorted = [...markers].sort((a, b) => a.beforeId - b.beforeId);
  for (const marker of sorted) {
    const index = lowerBoundById(records, marker.beforeId);
    // A marker with nothing after it yet still shows: the page reloaded, no error so far.
    placed.push({ marker, slot: index + placed.length });
  }
  return { slotCount: records.length + placed.length, markers: placed };
}

export type Slot = { kind: 'record'; index: number } | { kind: 'marker'; marker: NavigationMarker };

export function slotAt(layout: TimelineLayout, slot: number): Slot {
  let before = 0;
  for (const placed of layout.markers) {
    if (placed.slot === slot) return { kind: 'marker', marker: placed.marker };
    if (placed.slot < slot) before++;
    else break;
  }
  return { kind: 'record', index: slot - before };
}

/** The slot of record `index` (the inverse of slotAt for records). */
export function slotOfRecord(layout: TimelineLayout, index: number): number {
  let slot = index;
  for (const placed of layout.markers) {
    if (placed.slot <= slot) slot++;
    else break;
  }
  return slot;
}
