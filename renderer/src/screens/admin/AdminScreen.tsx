/**
 * The administrator's area: one tab per centrally versioned configuration. Each editor reads and
 * publishes through its own IPC channels; main checks the role again and the server a third time.
 */
import { useState, type ComponentType } from 'react';
import { BoardScreen } from '../board/BoardScreen.tsx';
import { CatalogEditor } from './catalog/CatalogEditor.tsx';
import { ScriptEditor } from './scripts/ScriptEditor.tsx';
import { StrategyEditor } from './strategy/StrategyEditor.tsx';
import '../../styles/admin.css';

interface AdminTab {
  id: string;
  label: string;
  Editor: ComponentType;
}

/** The tabs in display order; each editor's helper adds its own entry here. */
const ADMIN_TABS: readonly AdminTab[] = [
  { id: 'strategy', label: 'Segmentos y estrategias', Editor: StrategyEditor },
  { id: 'scripts', label: 'Guiones', Editor: ScriptEditor },
  { id: 'catalog', label: 'Catálogo de tipificación', Editor: CatalogEditor },
];

export function AdminScreen() {
  const [activeId, setActiveId] = useState(ADMIN_TABS[0]!.id);
  const active = ADMIN_TABS.find((tab) => tab.id === activeId) ?? ADMIN_TABS[0]!;
  const { Editor } = active;

  return (
    <section className="admin-screen" data-testid="admin">
      <header className="screen-header">
        <h1>Administración</h1>
        <nav className="admin-tabs" role="tablist" aria-label="Configuración central">
          {ADMIN_TABS.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              id={`admin-tab-${tab.id}`}
              data-testid={`admin-tab-${tab.id}`}
              aria-selected={tab.id === active.id}
              aria-controls={`admin-panel-${tab.id}`}
              className={tab.id === active.id ? 'admin-tab active' : 'admin-tab'}
              onClick={() => setActiveId(tab.id)}
            >
              {tab.label}
            </button>
          ))}
        </nav>
      </header>
      <div className="admin-body" role="tabpanel" id={`admin-panel-${active.id}`} aria-labelledby={`admin-tab-${active.id}`}>
        <Editor />
      </div>
    </section>
  );
}

type AdminView = 'board' | 'admin';

/** Shows the administrator's top level: the team leads' board or the administration area. */
export function AdminWorkspace() {
  const [view, setView] = useState<AdminView>('board');

  return (
    <div className="admin-workspace">
      <nav className="top-nav" aria-label="Secciones">
        <TopNavButton view="board" current={view} label="Tablero" onSelect={setView} />
        <TopNavButton view="admin" current={view} label="Administración" onSelect={setView} />
      </nav>
      {view === 'board' ? <BoardScreen /> : <AdminScreen />}
    </div>
  );
}

function TopNavButton({ view, current, label, onSelect }: { view: AdminView; current: AdminView; label: string; onSelect(view: AdminView): void }) {
  return (
    <button
      type="button"
      className={view === current ? 'top-nav-item active' : 'top-nav-item'}
      data-testid={`top-nav-${view}`}
      aria-current={view === current ? 'page' : undefined}
      onClick={() => onSelect(view)}
    >
      {label}
    </button>
  );
}
