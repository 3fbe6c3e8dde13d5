//! A chart drawn as inline SVG from a table, with its title, its summary and the table itself as the accessible (and printed) alternative.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::class::charts::Table;
use crate::core::store::short_quote;

/// Width of the drawing (SVG user units; it scales to the page).
const WIDTH: usize = 640;
/// Room for the row labels at the left.
const LABEL_ROOM: usize = 190;
/// Room for the totals at the right.
const TOTAL_ROOM: usize = 50;
/// Height of one row's bar, and the gap under it.
const BAR: usize = 18;
const GAP: usize = 8;
/// Longest row label drawn (the data table has them whole).
const LABEL_CHARS: usize = 26;

/// Properties of [`Chart`].
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The data.
    pub table: Rc<Table>,
    /// One colour (`#rrggbb`) per column.
    pub colors: Rc<Vec<String>>,
    /// A unique prefix for the ids tying the drawing to its title and summary.
    pub id: AttrValue,
}

/// One stacked horizontal bar per row, a segment per column; the legend, and the data table.
#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    let t = &props.table;
    let totals: Vec<usize> = t.rows.iter().map(|r| r.values.iter().sum()).collect();
    let most = totals.iter().copied().max().unwrap_or(0).max(1);
    let span = WIDTH - LABEL_ROOM - TOTAL_ROOM;
    let height = t.rows.len() * (BAR + GAP) + GAP;
    let color = |i: usize| {
        props
            .colors
            .get(i)
            .cloned()
            .unwrap_or_else(|| "#cccccc".into())
    };
    let bars: Html = t
        .rows
        .iter()
        .zip(&totals)
        .enumerate()
        .map(|(r, (row, &total))| {
            let y = GAP + r * (BAR + GAP);
            let mut x = LABEL_ROOM;
            let segments: Html = row
                .values
                .iter()
                .enumerate()
                .filter(|(_, &v)| v > 0)
                .map(|(c, &v)| {
                    let w = v * span / most;
                    let at = x;
                    x += w;
                    html! {
                        <rect x={at.to_string()} y={y.to_string()} width={w.max(1).to_string()}
                            height={BAR.to_string()} fill={color(c)} stroke="#0007" stroke-width="0.5" />
                    }
                })
                .collect();
            html! {
                <g>
                    <text x={(LABEL_ROOM - 6).to_string()} y={(y + BAR - 5).to_string()} text-anchor="end"
                        class="chart-label">{ short_quote(&row.label, LABEL_CHARS) }</text>
                    { segments }
                    <text x={(x + 6).to_string()} y={(y + BAR - 5).to_string()} class="chart-total">{ total }</text>
                </g>
            }
        })
        .collect();
    let title_id = format!("{}-title", props.id);
    let desc_id = format!("{}-desc", props.id);
    let legend: Html = t
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            html! {
                <li><span class="swatch" style={format!("background:{}", color(c))} aria-hidden="true"></span>{ col.label.clone() }</li>
            }
        })
        .collect();
    let header: Html = t
        .columns
        .iter()
        .map(|c| html! { <th scope="col">{ c.label.clone() }</th> })
        .collect();
    let body: Html = t
        .rows
        .iter()
        .zip(&totals)
        .map(|(row, total)| {
            let cells: Html = row
                .values
                .iter()
                .map(|v| html! { <td>{ v }</td> })
                .collect();
            html! { <tr><th scope="row">{ row.label.clone() }</th>{ cells }<td>{ total }</td></tr> }
        })
        .collect();
    html! {
        <figure class="chart">
            <figcaption>
                <h3 id={title_id.clone()}>{ t.title.clone() }</h3>
                <p id={desc_id.clone()}>{ t.description.clone() }</p>
            </figcaption>
            if t.rows.is_empty() || t.columns.is_empty() {
                <p class="hint">{ "Nothing to chart yet." }</p>
            } else {
                <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                    aria-labelledby={format!("{title_id} {desc_id}")} class="chart-svg">
                    { bars }
                </svg>
                <ul class="chart-legend" aria-label="Colours">{ legend }</ul>
                <details class="chart-data" open=true>
                    <summary>{ "Data table" }</summary>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                        <table>
                            <caption>{ t.title.clone() }</caption>
                            <thead><tr><th scope="col">{ t.row_header.clone() }</th>{ header }<th scope="col">{ "Total" }</th></tr></thead>
                            <tbody>{ body }</tbody>
                        </table>
                    </div>
                </details>
            }
        </figure>
    }
}
