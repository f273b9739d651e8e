/**
 * The one way the manual reads the catalogue of the manual's numbered screen items
 * (src/flow/manual-items.ts): what each page state shows, and each item's name and description.
 */
import {
  allItemIds,
  type ManualText,
  manualItem,
  manualPages,
  manualSections,
} from '../src/flow/manual-items.ts';

export interface CataloguePage {
  title: ManualText;
  note?: ManualText;
  /** The manual's sections that describe the page; the first is its own. */
  sections: string[];
  /** The items the page always shows. */
  items: string[];
  /** The items it shows once its form has errors. */
  onError: string[];
}

export interface CatalogueItem {
  name: ManualText;
  description: ManualText;
}

export interface Catalogue {
  page(path: string): CataloguePage | undefined;
  item(id: string): CatalogueItem | undefined;
  /** Every item, in the manual's order. */
  itemIds(): string[];
  section(id: string): { title: ManualText; note?: ManualText } | undefined;
}

export const catalogue: Catalogue = {
  page(path) {
    const page = manualPages[path];
    if (!page) return undefined;
    const { title, note, sections, items, onError } = page;
    return { title, ...(note ? { note } : {}), sections, items, onError: onError ?? [] };
  },
  item: (id) => manualItem(id),
  itemIds: () => allItemIds(),
  section: (id) => (manualSections as Record<string, { title: ManualText; note?: ManualText }>)[id],
};
