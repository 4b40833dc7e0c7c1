"""BibTeX for every dataset the data layer reads.

:data:`REFERENCES` is the bibliography; which entries each dataset asks users to cite is part
of its entry in the dataset registry (:data:`secorder.data.registry.DATASET_REFERENCES`), and
every :class:`Source` carries them. :func:`bibtex` renders the entries for a set of sources,
with a comment line naming each dataset, version and file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """One dataset file that went into a panel.

    Parameters
    ----------
    key
        Dataset key, e.g. ``"nmc"``.
    label
        Dataset name, e.g. ``"COW National Material Capabilities"``.
    version
        Version as read from the file or from its documented release.
    file
        File name the data were read from.
    references
        BibTeX entries to cite for it (from the dataset registry).
    """

    key: str
    label: str
    version: str
    file: str
    references: tuple[str, ...] = field(default=(), repr=False)

    @property
    def via_peacesciencer(self) -> bool:
        """Whether the file is peacesciencer's conversion (name ends in ``_peacesciencer``)."""
        return "_peacesciencer" in self.file


REFERENCES: dict[str, str] = {
    "cow2017states": """@misc{cow2017states,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2016},
  year = {2017},
  howpublished = {\\url{https://correlatesofwar.org}}
}""",
    "gleditsch1999": """@article{gleditsch1999,
  author = {Gleditsch, Kristian S. and Ward, Michael D.},
  title = {A Revised List of Independent States since the Congress of Vienna},
  journal = {International Interactions},
  volume = {25},
  number = {4},
  pages = {393--413},
  year = {1999}
}""",
    "singer1972": """@incollection{singer1972,
  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},
  title = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},
  booktitle = {Peace, War, and Numbers},
  editor = {Russett, Bruce},
  publisher = {Sage},
  address = {Beverly Hills},
  pages = {19--48},
  year = {1972}
}""",
    "singer1987": """@article{singer1987,
  author = {Singer, J. David},
  title = {Reconstructing the Correlates of War Dataset on Material Capabilities of States, 1816--1985},
  journal = {International Interactions},
  volume = {14},
  pages = {115--132},
  year = {1987}
}""",
    "palmer2022": """@article{palmer2022,
  author = {Palmer, Glenn and McManus, Roseanne W. and D'Orazio, Vito and Kenwick, Michael R. and Karstens, Mikaela and Bloch, Chase and Dietrich, Nick and Kahn, Kayla and Ritter, Kellan and Soules, Michael J.},
  title = {The {MID5} Dataset, 2011--2014: Procedures, Coding Rules, and Description},
  journal = {Conflict Management and Peace Science},
  volume = {39},
  number = {4},
  pages = {470--482},
  year = {2022}
}""",
    "gibler2016": """@article{gibler2016,
  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},
  title = {An Analysis of the Militarized Interstate Dispute ({MID}) Dataset, 1816--2001},
  journal = {International Studies Quarterly},
  volume = {60},
  number = {4},
  pages = {719--730},
  year = {2016}
}""",
    "maoz2019": """@article{maoz2019,
  author = {Maoz, Zeev and Johnson, Paul L. and Kaplan, Jasper and Ogunkoya, Fiona and Shreve, Aaron P.},
  title = {The Dyadic Militarized Interstate Disputes ({MIDs}) Dataset Version 3.0: Logic, Characteristics, and Comparisons to Alternative Datasets},
  journal = {Journal of Conflict Resolution},
  volume = {63},
  number = {3},
  pages = {811--835},
  year = {2019}
}""",
    "braithwaite2010": """@article{braithwaite2010,
  author = {Braithwaite, Alex},
  title = {{MIDLOC}: Introducing the Militarized Interstate Dispute Location Dataset},
  journal = {Journal of Peace Research},
  volume = {47},
  number = {1},
  pages = {91--98},
  year = {2010}
}""",
    "sarkees2010": """@book{sarkees2010,
  author = {Sarkees, Meredith Reid and Wayman, Frank},
  title = {Resort to War: 1816--2007},
  publisher = {CQ Press},
  address = {Washington, DC},
  year = {2010}
}""",
    "stinnett2002": """@article{stinnett2002,
  author = {Stinnett, Douglas M. and Tir, Jaroslav and Schafer, Philip and Diehl, Paul F. and Gochman, Charles},
  title = {The Correlates of War Project Direct Contiguity Data, Version 3},
  journal = {Conflict Management and Peace Science},
  volume = {19},
  number = {2},
  pages = {58--66},
  year = {2002}
}""",
    "schvitz2022": """@article{schvitz2022,
  author = {Schvitz, Guy and Ruegger, Seraina and Girardin, Luc and Cederman, Lars-Erik and Weidmann, Nils and Gleditsch, Kristian Skrede},
  title = {Mapping the International System, 1886--2017: The {CShapes} 2.0 Dataset},
  journal = {Journal of Conflict Resolution},
  volume = {66},
  number = {1},
  pages = {144--161},
  year = {2022}
}""",
    "weidmann2010": """@article{weidmann2010,
  author = {Weidmann, Nils B. and Gleditsch, Kristian Skrede},
  title = {Mapping and Measuring Country Shapes: The cshapes Package},
  journal = {The R Journal},
  volume = {2},
  number = {1},
  pages = {18--24},
  year = {2010}
}""",
    "pevehouse2020": """@article{pevehouse2020,
  author = {Pevehouse, Jon C. W. and Nordstrom, Timothy and McManus, Roseanne W. and Jamison, Anne Spencer},
  title = {Tracking Organizations in the World: The Correlates of War {IGO} Version 3.0 Datasets},
  journal = {Journal of Peace Research},
  volume = {57},
  number = {3},
  pages = {492--503},
  year = {2020}
}""",
    "barbieri2009": """@article{barbieri2009,
  author = {Barbieri, Katherine and Keshk, Omar M. G. and Pollins, Brian},
  title = {Trading Data: Evaluating Our Assumptions and Coding Rules},
  journal = {Conflict Management and Peace Science},
  volume = {26},
  number = {5},
  pages = {471--491},
  year = {2009}
}""",
    "barbieri2016": """@manual{barbieri2016,
  author = {Barbieri, Katherine and Keshk, Omar M. G.},
  title = {Correlates of War Project Trade Data Set Codebook, Version 4.0},
  year = {2016},
  howpublished = {\\url{https://correlatesofwar.org}}
}""",
    "leeds2002": """@article{leeds2002,
  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},
  title = {Alliance Treaty Obligations and Provisions, 1815--1944},
  journal = {International Interactions},
  volume = {28},
  pages = {237--260},
  year = {2002}
}""",
    "marshall2020": """@manual{marshall2020,
  author = {Marshall, Monty G. and Gurr, Ted Robert},
  title = {Polity5: Political Regime Characteristics and Transitions, 1800--2018. Dataset Users' Manual},
  organization = {Center for Systemic Peace},
  year = {2020}
}""",
    "marshall2017": """@manual{marshall2017,
  author = {Marshall, Monty G. and Gurr, Ted Robert and Jaggers, Keith},
  title = {Polity {IV} Project: Political Regime Characteristics and Transitions, 1800--2016},
  organization = {Center for Systemic Peace},
  year = {2017}
}""",
    "maerz2023": """@article{maerz2023,
  author = {Maerz, Seraphine F. and Edgell, Amanda B. and Wilson, Matthew C. and Hellmeier, Sebastian and Lindberg, Staffan I.},
  title = {Episodes of Regime Transformation},
  journal = {Journal of Peace Research},
  year = {2023},
  doi = {10.1177/00223433231168192}
}""",
    "coppedge2025": """@manual{coppedge2025,
  author = {Coppedge, Michael and others},
  title = {{V-Dem} Country-Year Dataset v15},
  organization = {Varieties of Democracy (V-Dem) Project},
  year = {2025}
}""",
    "coppedge2020": """@manual{coppedge2020,
  author = {Coppedge, Michael and Gerring, John and Knutsen, Carl Henrik and Lindberg, Staffan I. and Teorell, Jan and others},
  title = {{V-Dem} Codebook v10},
  organization = {Varieties of Democracy (V-Dem) Project},
  year = {2020}
}""",
    "pemstein2010": """@article{pemstein2010,
  author = {Pemstein, Daniel and Meserve, Stephen A. and Melton, James},
  title = {Democratic Compromise: A Latent Variable Analysis of Ten Measures of Regime Type},
  journal = {Political Analysis},
  volume = {18},
  number = {4},
  pages = {426--449},
  year = {2010}
}""",
    "marquez2016": """@misc{marquez2016,
  author = {Marquez, Xavier},
  title = {A Quick Method for Extending the Unified Democracy Scores},
  year = {2016},
  howpublished = {SSRN, \\url{http://ssrn.com/abstract=2753830}}
}""",
    "brecher2000": """@book{brecher2000,
  author = {Brecher, Michael and Wilkenfeld, Jonathan},
  title = {A Study of Crisis},
  publisher = {University of Michigan Press},
  address = {Ann Arbor},
  year = {2000}
}""",
    "brecher2021": """@manual{brecher2021,
  author = {Brecher, Michael and Wilkenfeld, Jonathan and Beardsley, Kyle and James, Patrick and Quinn, David},
  title = {International Crisis Behavior Data Codebook, Version 14},
  year = {2021}
}""",
    "thompson2012": """@book{thompson2012,
  author = {Thompson, William R. and Dreyer, David},
  title = {Handbook of International Rivalries, 1494--2010},
  publisher = {CQ Press},
  address = {Washington, DC},
  year = {2012}
}""",
    "thompson2021": """@book{thompson2021,
  author = {Thompson, William R. and Sakuwa, Kentaro and Suhas, Prashant Hosur},
  title = {Analyzing Strategic Rivalries in World Politics: Types of Rivalry, Regional Variation, and Escalation/De-escalation},
  publisher = {Springer},
  year = {2021}
}""",
    "gibler2005": """@article{gibler2005,
  author = {Gibler, Douglas M. and Rider, Toby J. and Hutchison, Marc L.},
  title = {Taking Arms Against a Sea of Troubles: Conventional Arms Races during Periods of Rivalry},
  journal = {Journal of Peace Research},
  volume = {42},
  number = {2},
  pages = {131--147},
  year = {2005}
}""",
    "anders2020": """@article{anders2020,
  author = {Anders, Therese and Fariss, Christopher J. and Markowitz, Jonathan N.},
  title = {Bread Before Guns or Butter: Introducing Surplus Domestic Product ({SDP})},
  journal = {International Studies Quarterly},
  volume = {64},
  number = {2},
  pages = {392--405},
  year = {2020}
}""",
    "miller2022": """@article{miller2022,
  author = {Miller, Steven V.},
  title = {peacesciencer: An {R} Package for Quantitative Peace Science Research},
  journal = {Conflict Management and Peace Science},
  volume = {39},
  number = {6},
  pages = {755--779},
  year = {2022}
}""",
}
"""BibTeX entries by citation key."""


def bibtex(sources: Iterable[Source]) -> str:
    """BibTeX for exactly the datasets in ``sources``.

    Parameters
    ----------
    sources
        Dataset files a panel was built from.

    Returns
    -------
    str
        One comment line per dataset (name, version, file), then each reference once. Files
        converted by peacesciencer add its reference.
    """
    sources = list(dict.fromkeys(sources))
    entries: list[str] = []
    for s in sources:
        entries += s.references
        if s.via_peacesciencer:
            entries.append(REFERENCES["miller2022"])
    comments = [f"% {s.label}, version {s.version} ({s.file})" for s in sources]
    entries = list(dict.fromkeys(entries))
    return "\n".join(comments) + "\n\n" + "\n\n".join(entries) + "\n"
